"""An image check's fields, each a row of (validate, compare) as the container check's are: the configuration
`docker image inspect` shows, the layers `docker image history` lists, the size, and what it was built from.
What each field means is in docs/scenario-format.md (Image checks)."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dockersim.checks.base import CheckContext, Mismatch
from dockersim.engine.images import normal_ref
from dockersim.engine.parse.history import count_layers
from dockersim.engine.snapshot import Snapshot
from dockersim.engine.state import Healthcheck, ImageState
from dockersim.i18n.phrase import Phrase
from dockersim.yamlfile.validation import closest as _closest
from dockersim.yamlfile.validation import fail as _fail
from dockersim.yamlfile.validation import kind_of as _kind_of
from dockersim.yamlfile.validation import scalar as _scalar

Compare = Callable[[str, Any, ImageState, Snapshot, CheckContext], list[Mismatch]]

SHELL = ("/bin/sh", "-c")  # what a Dockerfile's shell form runs, as docker and buildah write it
_PORT = re.compile(r"(\d+)(?:/(tcp|udp|sctp))?", re.IGNORECASE)
# Sizes as `docker images` prints them: decimal units (1 MB = 1000 kB); KiB, MiB … where binary is meant.
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(i)?b?|b)?\s*", re.IGNORECASE)
_UNIT = {"k": 1, "m": 2, "g": 3, "t": 4}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_NS = {"ns": 1, "us": 10**3, "µs": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}
# What the engine uses where a HEALTHCHECK gives no option (inspect then says 0), docker and podman alike.
HEALTH_DEFAULTS = {"interval": 30 * 10**9, "timeout": 30 * 10**9, "start_period": 0, "retries": 3}
_HEALTH_KEYS = ("test", *HEALTH_DEFAULTS)


def image_size(value: Any) -> int | None:
    """`50MB`, `1.5 GB`, `800kB`, `64MiB`, or a number of bytes; None when it is none of these."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    found = _SIZE.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return None
    number, unit, binary = found.groups()
    size = int(float(number) * ((1024 if binary else 1000) ** _UNIT[unit.lower()] if unit else 1))
    return size if size > 0 else None


def decimal(size: int) -> str:
    """A size as `docker images` shows it: 1.98MB, 312MB, 64B."""
    value, unit = float(size), "B"
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            break
        value /= 1000
    return f"{value:.3g}{unit}"


def duration_ns(value: Any) -> int | None:
    """`30s`, `1m30s`, `500ms` (as a HEALTHCHECK option is written), or a number of seconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value * 10**9) if 0 <= value < 10**12 else None  # a number of seconds, and not infinite
    if not isinstance(value, str) or not value or _DURATION.sub("", value):
        return None
    return int(sum(float(n) * _NS[unit] for n, unit in _DURATION.findall(value)))


def _seconds(ns: int) -> str:
    return f"{ns / 10**9:g}s"


def _words(words: tuple[str, ...]) -> str:
    """A command as inspect shows it (`["/bin/sh", "-c", "echo hi"]`), or none."""
    return json.dumps(list(words), ensure_ascii=False) if words else Phrase("w_none")


def _spellings(words: tuple[str, ...]) -> set[str]:
    """The command lines a string may give for these words: joined by spaces, and a shell form's own line."""
    out = {" ".join(words)}
    if len(words) == 3 and words[:2] == SHELL:
        out.add(words[2])
    return out


def _items(value: Any, path: str, line: int, key: str, example: str) -> list[tuple[Any, int]]:
    """A list's items and the line of each."""
    if not isinstance(value, list):
        raise _fail(path, line, f"{key} should be a list such as {example}, not {_kind_of(value)}")
    lines = getattr(value, "lines", [])
    return [(item, lines[i] if i < len(lines) else line) for i, item in enumerate(value)]


def _v_words(value: Any, path: str, line: int, key: str) -> Any:
    if isinstance(value, list):
        return tuple(_scalar(w, path, at, f"a word of {key}") for w, at in _items(value, path, line, key, "[sh]"))
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _fail(path, line, f"{key} should be a list of words such as [nginx, -g, 'daemon off;'] or a "
                                f"command line such as nginx -g 'daemon off;', not {_kind_of(value)}")  # fmt: skip
    return str(value)


def _v_mapping(value: Any, path: str, line: int, key: str) -> Any:
    if not isinstance(value, dict) or not value:
        raise _fail(path, line, f"{key} should be a mapping of NAME: value, not {_kind_of(value)}")
    lines = getattr(value, "lines", {})
    return {str(k): _scalar(v, path, lines.get(k, line), f"{key} {k}") for k, v in value.items()}


def _v_ports(value: Any, path: str, line: int, key: str) -> Any:
    out = []
    for item, at in _items(value, path, line, key, '[80/tcp, "8080"]'):
        found = _PORT.fullmatch(_scalar(item, path, at, "a port"))
        if found is None:
            raise _fail(path, at, f"'{item}' is not a container port such as 80/tcp, 53/udp or 8080")
        out.append(f"{int(found.group(1))}/{(found.group(2) or 'tcp').lower()}")
    return tuple(out)


def _v_paths(value: Any, path: str, line: int, key: str) -> Any:
    out = []
    for item, at in _items(value, path, line, key, "[/data]"):
        text = _scalar(item, path, at, "a volume")
        if not text.startswith("/"):
            raise _fail(path, at, f"'{text}' is not a path inside the container such as /data")
        out.append(posixpath.normpath(text))
    return tuple(out)


def _bound(value: Any, path: str, line: int, key: str, read: Callable[[Any], int | None], example: str) -> int:
    if not isinstance(value, dict) or set(value) != {"at_most"}:
        raise _fail(path, line, f"{key} should read {{at_most: {example}}}")
    found = read(value["at_most"])
    if found is None:
        at = getattr(value, "lines", {}).get("at_most", line)
        raise _fail(path, at, f"{key} at_most should be such as {example}, not {_kind_of(value['at_most'])}")
    return found


def _v_layers(value: Any, path: str, line: int, key: str) -> Any:
    def count(v: Any) -> int | None:
        return v if isinstance(v, int) and not isinstance(v, bool) and v > 0 else None

    if isinstance(value, dict):
        return ("at_most", _bound(value, path, line, key, count, "5"))
    if count(value) is None:
        raise _fail(path, line, f"layers should be a whole number above 0 or {{at_most: N}}, not {_kind_of(value)}")
    return ("exactly", value)


def _v_size(value: Any, path: str, line: int, key: str) -> Any:
    limit = _bound(value, path, line, key, image_size, '"50MB"')
    written = value["at_most"]
    return limit, written.strip() if isinstance(written, str) else decimal(limit)  # said as the author wrote it


def _v_healthcheck(value: Any, path: str, line: int, key: str) -> Any:
    if value == "none":
        return "none"
    if not isinstance(value, dict) or "test" not in value:
        raise _fail(path, line, "healthcheck should be none or a mapping such as {test: curl -f http://localhost/}")
    lines = getattr(value, "lines", {})
    out: dict[str, Any] = {}
    for k, v in value.items():
        at = lines.get(k, line)
        if k not in _HEALTH_KEYS:
            raise _fail(path, at, f"a healthcheck has no field '{k}'" + _closest(str(k), list(_HEALTH_KEYS)))
        if k == "test":
            out[k] = _v_words(v, path, at, "healthcheck test")
            if isinstance(out[k], tuple) and out[k][:1] not in (("CMD",), ("CMD-SHELL",)):
                raise _fail(path, at, "a healthcheck test list reads as inspect's Test: [CMD, word, …] or "
                                      "[CMD-SHELL, command line]; a command line alone is a string")  # fmt: skip
        elif k == "retries":
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise _fail(path, at, "healthcheck retries should be a whole number")
            out[k] = v
        else:
            ns = duration_ns(v)
            if ns is None:
                raise _fail(path, at, f"healthcheck {k} should be a duration such as 30s, 1m30s or 500ms")
            out[k] = ns
    return out


def _c_words(key: str, want: Any, image: ImageState, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
    found: tuple[str, ...] = getattr(image, key)
    if isinstance(want, tuple):
        expected = tuple(ctx.resolve(w) for w in want)
        return [] if found == expected else [Mismatch(key, _words(expected), _words(found))]
    line = ctx.resolve(want)
    return [] if line in _spellings(found) else [Mismatch(key, repr(line), _words(found))]


def _c_mapping(key: str, want: Any, image: ImageState, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
    found = dict(getattr(image, key))
    out = []
    for k, v in want.items():
        expected, value = ctx.resolve(v), found.get(k)
        if value != expected:
            out.append(Mismatch(f"{key} {k}", repr(expected), Phrase("w_unset") if value is None else repr(value)))
    return out


def _c_members(key: str, want: Any, image: ImageState, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
    found: tuple[str, ...] = getattr(image, key)
    shown = ", ".join(found) or Phrase("w_none")
    if not want:  # [] asks for none at all
        return [Mismatch(key, Phrase("w_none"), shown)] if found else []
    missing = [item for item in want if item not in found]
    return [Mismatch(key, ", ".join(missing), shown)] if missing else []


def _c_text(key: str, want: Any, image: ImageState, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
    found, expected = getattr(image, key), ctx.resolve(want)
    return [] if found == expected else [Mismatch(key, repr(expected), repr(found))]


def _c_folder(key: str, want: Any, image: ImageState, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
    found, expected = getattr(image, key), ctx.resolve(want)
    same = found == expected or bool(found and expected) and posixpath.normpath(found) == posixpath.normpath(expected)
    return [] if same else [Mismatch(key, repr(expected), repr(found))]


def _test(check: Healthcheck) -> str:
    return repr(check.test[1]) if check.test[:1] == ("CMD-SHELL",) and len(check.test) == 2 else _words(check.test)


def _test_line(test: tuple[str, ...]) -> str | None:
    """The command line a HEALTHCHECK CMD was written with: CMD-SHELL's own, or CMD's words joined by spaces."""
    if test[:1] == ("CMD-SHELL",) and len(test) == 2:
        return test[1]
    return " ".join(test[1:]) if test[:1] == ("CMD",) else None


def _c_healthcheck(key: str, want: Any, image: ImageState, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
    check = image.healthcheck
    if check is None or not check.test or check.test[0] == "NONE":
        if want == "none":
            return []
        return [Mismatch("healthcheck", Phrase("p_health_test", test=_shown(want["test"], ctx)), Phrase("w_none"))]
    if want == "none":
        return [Mismatch("healthcheck", Phrase("w_none"), Phrase("p_health_test", test=_test(check)))]
    out = []
    test = want["test"]
    if isinstance(test, tuple):
        ok = check.test == tuple(ctx.resolve(w) for w in test)
    else:
        ok = ctx.resolve(test) == _test_line(check.test)
    if not ok:
        out.append(Mismatch("healthcheck test", _shown(test, ctx), _test(check)))
    for k, default in HEALTH_DEFAULTS.items():
        if k in want and want[k] != (getattr(check, k) or default):
            show = str if k == "retries" else _seconds
            out.append(Mismatch(f"healthcheck {k}", show(want[k]), show(getattr(check, k) or default)))
    return out


def _shown(test: Any, ctx: CheckContext) -> str:
    return _words(tuple(ctx.resolve(w) for w in test)) if isinstance(test, tuple) else repr(ctx.resolve(test))


def _c_layers(key: str, want: Any, image: ImageState, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
    how, n = want
    found = count_layers(snap.history(image))
    if found == n or (how == "at_most" and found < n):
        return []
    return [Mismatch("layers", str(n) if how == "exactly" else Phrase("p_at_most", limit=n), str(found))]


def _c_size(key: str, want: Any, image: ImageState, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
    limit, written = want
    if image.size <= limit:
        return []
    found = Phrase("p_size", size=decimal(image.size), bytes=image.size)
    return [Mismatch("size", Phrase("p_at_most", limit=written), found)]


def built_on(image: ImageState, base: ImageState) -> bool:
    """Whether the image was built FROM base, directly or further down: base's layers begin its own. When
    they are all of its own (a Dockerfile that only sets configuration), the same image, or one made
    before it, is its base; one made after is not (it may be built on the image, not under it)."""
    n = len(base.layers)
    if n == 0 or image.layers[:n] != base.layers:
        return False
    if len(image.layers) > n or base.id == image.id:
        return True
    return not (base.created and image.created) or base.created <= image.created


def nearest_bases(image: ImageState, images: list[ImageState]) -> list[ImageState]:
    """What the image was built FROM, as far as the engine's images tell: of those it is built on, the ones
    with the most layers, and of these the last made (a Dockerfile that only sets configuration makes an
    image whose layers are its base's)."""
    under = [i for i in images if i.id != image.id and built_on(image, i)]
    if not under:
        return []
    best = max((len(i.layers), i.created) for i in under)
    return [i for i in under if (len(i.layers), i.created) == best]


def _named(image: ImageState) -> str:
    return ", ".join(normal_ref(t) for t in image.repo_tags) or image.id.removeprefix("sha256:")[:12]


def _c_built_from(key: str, want: Any, image: ImageState, snap: Snapshot, ctx: CheckContext) -> list[Mismatch]:
    ref = ctx.image_ref(ctx.resolve(want))
    base = snap.image_details(ref)
    if base is None:
        return [Mismatch("built_from", ref, Phrase("p_no_image", ref=ref))]
    if built_on(image, base):
        return []
    found = "; ".join(_named(i) for i in nearest_bases(image, snap.inspected_images))
    return [Mismatch("built_from", ref, found or Phrase("p_no_base"))]


@dataclass(frozen=True)
class Field:
    validate: Callable[[Any, str, int, str], Any]
    compare: Compare


IMAGE_FIELDS: dict[str, Field] = {
    "cmd": Field(_v_words, _c_words),
    "entrypoint": Field(_v_words, _c_words),
    "env": Field(_v_mapping, _c_mapping),
    "exposed_ports": Field(_v_ports, _c_members),
    "user": Field(_scalar, _c_text),
    "workdir": Field(_scalar, _c_folder),
    "labels": Field(_v_mapping, _c_mapping),
    "volumes": Field(_v_paths, _c_members),
    "healthcheck": Field(_v_healthcheck, _c_healthcheck),
    "layers": Field(_v_layers, _c_layers),
    "size": Field(_v_size, _c_size),
    "built_from": Field(_scalar, _c_built_from),
}
