# Open TCP connections: to the host's loopback (the test's server) and to an outside address.
import socket

PORT = 9  # the test puts its loopback server's port here
for host, port in (('127.0.0.1', PORT), ('1.1.1.1', 443)):
    try:
        socket.create_connection((host, port), timeout=3).close()
        print(f'{host}:{port} connected')
    except OSError as error:
        print(f'{host}:{port} refused ({type(error).__name__}: {error.strerror})')
