# Kill the parent process (unsandboxed, that was `caplab run` itself, and with it the supervisor).
import os

try:
    os.kill(os.getppid(), 9)
    print('kill sent to the parent')
except OSError as error:
    print('kill refused', type(error).__name__)
print('the program is still running')
