"""Runs moto's server with the fidelity layer installed: `python test/moto_fidelity/server.py -H 127.0.0.1 -p N`
takes the same arguments as `moto_server`."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from moto.server import main  # noqa: E402

from moto_fidelity import install  # noqa: E402

if __name__ == "__main__":
    install()
    sys.exit(main())
