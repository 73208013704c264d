# Start a detached process and keep running, so that the host can be killed under it (the test
# kills `caplab run` with SIGKILL): neither may outlive the host.
import subprocess
import time

subprocess.Popen(['/bin/sh', '-c', 'sleep 300; :', 'caplab-hostile-outlive'], start_new_session=True)
print('ready', flush=True)
while True:
    time.sleep(0.05)
