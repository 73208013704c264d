# Start processes until the system says no.
import subprocess

children = []
try:
    for _ in range(1000):
        children.append(subprocess.Popen(['/bin/sh', '-c', 'sleep 300; :', 'caplab-hostile-fork-bomb']))
except OSError as error:
    print(f'stopped after {len(children)} processes: {type(error).__name__}')
