"""nanoGPT's configuration scheme: defaults, then config files, then --key=value overrides.

    python -m nanogpt_jax.train config/train_shakespeare_char.py --batch_size=32 --compile=False

A config file is Python that assigns known keys; it is looked up as given, then in nanogpt_jax/config/.
An override's value is parsed as a Python literal (else taken as a string) and must have the default's
type (an int is accepted where a float is expected). Unknown keys are errors, with close matches.
"""

import ast
import difflib
import types
from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parent / "config"


class ConfigError(ValueError):
    pass


def find_config_file(name: str) -> Path:
    path = Path(name)
    for candidate in (path, CONFIG_DIR / path.name):
        if candidate.is_file():
            return candidate
    raise ConfigError(f"config file {name!r} not found (looked in the working directory and {CONFIG_DIR})")


def _checked(config: dict, key: str, value, origin: str):
    if key not in config:
        close = difflib.get_close_matches(key, config, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ConfigError(f"unknown config key {key!r} in {origin}{hint}")
    default = config[key]
    if default is None or value is None or type(value) is type(default):
        return value
    if type(default) is float and type(value) is int:
        return float(value)
    raise ConfigError(f"{origin}: {key} must be {type(default).__name__} like its default {default!r}, "
                      f"got {type(value).__name__} {value!r}")


def configure(defaults: dict, argv: list[str]) -> dict:
    """The defaults updated by each config file and --key=value in argv, in order."""
    config = dict(defaults)
    for arg in argv:
        if not arg.startswith("--"):
            path = find_config_file(arg)
            namespace: dict = {}
            exec(compile(path.read_text(), str(path), "exec"), namespace)  # noqa: S102 - nanoGPT's format
            for key, value in namespace.items():
                if key.startswith("_") or isinstance(value, types.ModuleType | types.FunctionType | type):
                    continue
                config[key] = _checked(config, key, value, str(path))
            print(f"Overriding config with {path}")
            continue
        key, sep, text = arg[2:].partition("=")
        if not sep:
            raise ConfigError(f"{arg!r}: overrides are written --key=value")
        try:
            value = ast.literal_eval(text)
        except (SyntaxError, ValueError):
            value = text  # a bare string such as --device=cpu
        if isinstance(defaults.get(key), str) and not isinstance(value, str):
            value = text  # --start=42 is the text "42"
        config[key] = _checked(config, key, value, arg)
        print(f"Overriding: {key} = {config[key]!r}")
    return config
