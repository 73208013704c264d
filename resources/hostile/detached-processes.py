# Start 20 detached processes (new sessions, like daemons) meant to outlive the run.
import subprocess

for _ in range(20):
    subprocess.Popen(['/bin/sh', '-c', 'sleep 300; :', 'caplab-hostile-detached'], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print('started 20 detached processes')
