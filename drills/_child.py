"""``python -m drills._child module:function '<json kwargs>' <out.json>``: set Django up (settings
and database from the environment the drill passed) and write what the function returns."""

import importlib
import json
import sys
from pathlib import Path


def run() -> None:
    target, kwargs, out = sys.argv[1], json.loads(sys.argv[2]), Path(sys.argv[3])
    import django

    django.setup()
    module_name, function_name = target.split(":")
    result = getattr(importlib.import_module(module_name), function_name)(**kwargs)
    out.write_text(json.dumps(result, default=str))


if __name__ == "__main__":
    run()
