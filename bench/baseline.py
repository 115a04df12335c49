"""The baseline for the scenario-overhead bench: the same docker commands as a plain script would run
them — subprocess for one-shot commands, bare pexpect calls for tty steps — with no checks, no snapshot
and no placeholder lookups (expect regexes get generic patterns instead, as a hand-written script has)."""

from __future__ import annotations

import re
import shlex
import subprocess

import pexpect

from dockersim.scenario import placeholders
from dockersim.scenario.model import Scenario

_GENERIC = {"id": "[0-9a-f]{64}", "short_id": "[0-9a-f]{12}", "ip": r"[0-9.]+", "host_port": r"\d+"}
_KEYS = {f"ctrl-{chr(c)}": chr(c - 96) for c in range(ord("a"), ord("z") + 1)}


def run_plain(scenario: Scenario, image_map: dict[str, str], docker: str = "docker") -> None:
    before = set(subprocess.run([docker, "ps", "-a", "-q"], capture_output=True, text=True).stdout.split())
    captures: dict[str, str] = {}

    def value(p: placeholders.Placeholder, regex: bool) -> str:
        if p.kind == "image":
            ref = scenario.images[p.arg]
            return image_map.get(ref, ref)
        if p.kind == "var":
            return re.escape(captures[p.arg]) if regex else captures[p.arg]
        return _GENERIC[p.kind]

    try:
        for step in scenario.steps:
            if (step.run is None and step.shell is None) or step.destructive:
                continue  # check-only steps are what dockersim adds; a plain script has none
            if step.shell is not None:
                script = placeholders.substitute(step.shell, lambda p: value(p, False))
                argv = ["/bin/sh", "-c", f'docker() {{ command "{docker}" "$@"; }}\n{script}']
            else:
                argv = [placeholders.substitute(w, lambda p: value(p, False)) for w in step.run or []]
                argv[0] = docker if argv[0] == "docker" else argv[0]
            if step.tty is None:
                out = subprocess.run(argv, capture_output=True, text=True, timeout=step.timeout).stdout
                for name, pattern in step.capture.items():
                    m = re.search(placeholders.substitute(pattern, lambda p: value(p, True)), out, re.M)
                    if m:
                        captures[name] = m.group(1)
                continue
            child = pexpect.spawn(argv[0], argv[1:], dimensions=(24, 80), encoding="utf-8", timeout=step.timeout)
            # As dockersim's sessions do: no sleep before each send, and after EOF wait for the exit itself.
            child.delaybeforesend = None
            child.delayafterclose = 0
            for action in step.tty:
                if action.kind == "expect":
                    # A hand-written script would match the raw bytes: lines end in \r\n under a pty.
                    text = placeholders.substitute(action.text, lambda p: value(p, True))
                    child.expect(text.replace("^", "").replace("$", "\r\n"))
                elif action.kind == "eof":
                    child.expect(pexpect.EOF)
                elif action.kind == "send":
                    child.sendline(action.text)
                elif action.kind == "aside":  # a second terminal's command, again until the session shows it
                    aside = [placeholders.substitute(w, lambda p: value(p, False)) for w in shlex.split(action.text)]
                    for _ in range(max(1, int(action.timeout))):
                        subprocess.run([docker, *aside[1:]], capture_output=True, timeout=action.timeout)
                        if action.until is None or child.expect([action.until, pexpect.TIMEOUT], timeout=1) == 0:
                            break
                elif action.kind == "hangup":
                    child.kill(9)
                    child.expect(pexpect.EOF)
                else:
                    child.send("".join(_KEYS.get(k, k) for k in action.keys))
            if child.isalive():
                child.wait()
            child.close()
    finally:
        after = set(subprocess.run([docker, "ps", "-a", "-q"], capture_output=True, text=True).stdout.split())
        if after - before:
            subprocess.run([docker, "rm", "-f", "-v", *sorted(after - before)], capture_output=True)
