# Tamper with the installed caplab package (every later run would import it), and write elsewhere.
import os

import caplab

targets = {
    'package': os.path.join(os.path.dirname(caplab.__file__), 'hostile_was_here.py'),
    'run folder': os.path.join(os.path.dirname(os.getcwd()), 'hostile_was_here'),
    'tmp': '/tmp/caplab-hostile-escape',
    'home': os.path.join(os.path.expanduser('~'), 'hostile_was_here'),
}
for name, path in targets.items():
    try:
        with open(path, 'w') as out:
            out.write('import os; os.system("echo pwned")\n')
        print(f'{name}: written')
    except OSError as error:
        print(f'{name}: refused ({type(error).__name__})')
