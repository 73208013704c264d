# A shell command through os.system: it runs, but inside the sandbox (no /etc/shadow, no home).
import os

status = os.system('cat /etc/shadow > /dev/null 2>&1')
print('os.system cat /etc/shadow exit status', os.waitstatus_to_exitcode(status))
print('os.system sees home folders:', os.system('ls /home/* /root/.ssh > /dev/null 2>&1') == 0)
