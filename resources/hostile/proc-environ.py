# Read the parent's environment and command line, and look for the host among /proc's processes.
import os

ppid = os.getppid()
print('parent pid', ppid)
pids = sorted(int(name) for name in os.listdir('/proc') if name.isdigit())
print('processes visible', len(pids), pids[:10])
found = False
for pid in pids:
    try:
        with open(f'/proc/{pid}/environ', 'rb') as environ:
            found = found or b'sk-hostile-canary' in environ.read()
    except OSError:
        pass
print('host secret found:', found)
try:
    with open(f'/proc/{ppid}/environ', 'rb') as environ:
        print('parent environ', len(environ.read().split(b'\0')), 'entries')
except OSError as error:
    print('parent environ', type(error).__name__)
with open(f'/proc/{ppid}/cmdline', 'rb') as cmdline:
    print('parent cmdline starts', cmdline.read().split(b'\0')[0].decode())
