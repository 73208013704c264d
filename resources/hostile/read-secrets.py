# Read the machine's password hashes and SSH keys.
import os

for path in ('/etc/shadow', '/root/.ssh', os.path.expanduser('~/.ssh'), '/home'):
    try:
        if os.path.isdir(path):
            print(path, 'listed', os.listdir(path))
        else:
            with open(path) as secret:
                print(path, 'READ', len(secret.read()), 'characters')
    except OSError as error:
        print(path, 'refused', type(error).__name__)
print('home is', os.path.expanduser('~'))
