"""What practice says to a learner in their own shell, and what its docker shim refuses."""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    # practice: the learner types, dockersim watches
    "practice_step": {"en": "{title} · step {n}/{total}", "ko": "{title} · {n}/{total} 단계"},
    "practice_keys": {
        "en": "type it yourself · hint · solve · skip · exit or Ctrl+D leaves",
        "ko": "직접 입력해 보세요 · hint(힌트) · solve(풀이) · skip(건너뛰기) · exit 또는 Ctrl+D 로 종료",
    },
    "practice_passed": {"en": "✓ step {n} done: {name}", "ko": "✓ {n}단계 완료: {name}"},
    "practice_solved": {"en": "✓ step {n} solved for you: {name}", "ko": "✓ {n}단계를 대신 풀었습니다: {name}"},
    "practice_not_yet": {"en": "✗ not yet: {reason}", "ko": "✗ 아직 아닙니다: {reason}"},
    "practice_auto": {"en": "dockersim runs step {n}: {command}", "ko": "{n}단계는 dockersim 이 실행합니다: {command}"},
    "practice_auto_check": {
        "en": "dockersim checks step {n}: {name}",
        "ko": "{n}단계는 dockersim 이 확인합니다: {name}",
    },
    "practice_skipped": {
        "en": "step {n} skipped (dockersim ran it): {name}",
        "ko": "{n}단계 건너뜀 (dockersim 이 실행함): {name}",
    },
    "practice_destructive": {
        "en": "step {n} skipped: it would act on objects dockersim did not make (--allow-destructive runs it)",
        "ko": "{n}단계 건너뜀: dockersim 이 만들지 않은 객체에 영향을 줍니다 (--allow-destructive 로 실행)",
    },
    "practice_hint": {"en": "hint: {hint}", "ko": "힌트: {hint}"},
    "practice_no_hint": {
        "en": "hint: the step wants `{verb}` — look at what it should do: {task}",
        "ko": "힌트: 이 단계는 `{verb}` 명령입니다 — 할 일: {task}",
    },
    # hints: what a try lacked against the step's command (practice/hints.py, one row a flag or field)
    "hint_no_interactive": {
        "en": "{flag} keeps STDIN open: without it your keystrokes never reach the shell",
        "ko": "{flag} 는 표준 입력(STDIN)을 열어 둡니다: 없으면 입력한 키가 셸에 전달되지 않습니다",
    },
    "hint_no_tty": {
        "en": "{flag} gives the container a terminal: without it there is no prompt to type at",
        "ko": "{flag} 는 컨테이너에 터미널을 붙여 줍니다: 없으면 입력할 프롬프트가 나오지 않습니다",
    },
    "hint_no_detach": {
        "en": "{flag} runs the container in the background and gives your prompt back: the step needs it",
        "ko": "{flag} 는 컨테이너를 백그라운드에서 실행하고 프롬프트를 돌려줍니다: 이 단계에 필요합니다",
    },
    "hint_no_name": {
        "en": "{flag} names the container: without it the engine makes up a name, and the step looks for its own",
        "ko": "{flag} 는 컨테이너에 이름을 붙입니다: 없으면 엔진이 임의의 이름을 붙이고, 이 단계는 정해진 "
        "이름을 찾습니다",
    },
    "hint_no_publish": {
        "en": "{flag} publishes a port of the container on the host: your command did not publish it",
        "ko": "{flag} 는 컨테이너의 포트를 호스트에 연결합니다: 입력한 명령에는 이것이 없었습니다",
    },
    "hint_no_env": {
        "en": "{flag} sets a variable in the container's environment: your command did not set it",
        "ko": "{flag} 는 컨테이너의 환경 변수를 설정합니다: 입력한 명령은 이 값을 설정하지 않았습니다",
    },
    "hint_no_volume": {
        "en": "{flag} mounts a volume or a host folder into the container: your command did not mount it",
        "ko": "{flag} 는 볼륨이나 호스트 디렉터리를 컨테이너에 마운트합니다: 입력한 명령에는 이것이 없었습니다",
    },
    "hint_no_mount": {
        "en": "{flag} mounts a volume, spelled out as key=value pairs: your command did not mount it",
        "ko": "{flag} 는 볼륨을 key=value 형식으로 마운트합니다: 입력한 명령에는 이것이 없었습니다",
    },
    "hint_no_volumes_from": {
        "en": "{flag} gives the container the volumes of another one: your command did not have it",
        "ko": "{flag} 는 다른 컨테이너의 볼륨을 함께 씁니다: 입력한 명령에는 이것이 없었습니다",
    },
    "hint_no_link": {
        "en": "{flag} lets the container reach another one by an alias: your command did not have it",
        "ko": "{flag} 는 다른 컨테이너를 별명으로 접근하게 합니다: 입력한 명령에는 이것이 없었습니다",
    },
    "hint_no_format": {
        "en": "{flag} prints only what the template asks for: your command did not have it",
        "ko": "{flag} 는 템플릿이 요구하는 것만 출력합니다: 입력한 명령에는 이것이 없었습니다",
    },
    "hint_no_filter": {
        "en": "{flag} lists only what matches: your command did not have it",
        "ko": "{flag} 는 조건에 맞는 것만 보여 줍니다: 입력한 명령에는 이것이 없었습니다",
    },
    "hint_no_quiet": {
        "en": "{flag} prints only the IDs: your command did not have it",
        "ko": "{flag} 는 ID 만 출력합니다: 입력한 명령에는 이것이 없었습니다",
    },
    "hint_no_type": {
        "en": "{flag} says which kind of object to inspect: your command did not have it",
        "ko": "{flag} 는 어떤 종류의 객체를 inspect 할지 정합니다: 입력한 명령에는 이것이 없었습니다",
    },
    "hint_no_all_ps": {
        "en": "{flag} lists stopped containers too: without it docker ps shows only running ones",
        "ko": "{flag} 는 정지된 컨테이너까지 보여 줍니다: 없으면 docker ps 는 실행 중인 것만 보여 줍니다",
    },
    "hint_no_force_rm": {
        "en": "{flag} removes a running container too: without it docker rm refuses one",
        "ko": "{flag} 는 실행 중인 컨테이너도 삭제합니다: 없으면 docker rm 은 실행 중인 컨테이너를 거부합니다",
    },
    "hint_no_volumes_rm": {
        "en": "{flag} removes the container's anonymous volumes with it: your command did not have it",
        "ko": "{flag} 는 컨테이너의 익명 볼륨도 함께 삭제합니다: 입력한 명령에는 이것이 없었습니다",
    },
    "hint_no_force_rmi": {
        "en": "{flag} removes an image even while containers were made from it: your command did not have it",
        "ko": "{flag} 는 그 이미지로 만든 컨테이너가 있어도 이미지를 삭제합니다: 입력한 명령에는 이것이 없었습니다",
    },
    "hint_no_flag": {
        "en": "the step needs {flag}, which your command did not have",
        "ko": "이 단계에는 {flag} 가 필요한데, 입력한 명령에는 없었습니다",
    },
    "hint_has_detach": {
        "en": "{flag} runs the container in the background and gives your prompt back at once: the step does "
        "not want it",
        "ko": "{flag} 는 컨테이너를 백그라운드에서 실행하고 바로 프롬프트로 돌아옵니다: 이 단계에서는 쓰지 않습니다",
    },
    "hint_has_interactive": {
        "en": "{flag} keeps STDIN open: the step runs the container without it",
        "ko": "{flag} 는 표준 입력(STDIN)을 열어 둡니다: 이 단계는 그것 없이 컨테이너를 실행합니다",
    },
    "hint_has_tty": {
        "en": "{flag} gives the container a terminal: the step runs it without one",
        "ko": "{flag} 는 컨테이너에 터미널을 붙입니다: 이 단계는 터미널 없이 실행합니다",
    },
    "hint_has_rm": {
        "en": "{flag} removes the container as soon as it ends, so nothing is left to look at: the step does not "
        "want it",
        "ko": "{flag} 는 컨테이너가 끝나자마자 삭제해서 확인할 것이 남지 않습니다: 이 단계에서는 쓰지 않습니다",
    },
    "hint_other_value": {
        "en": "the step gives {flag} {want}; your command gave {flag} {got}",
        "ko": "이 단계는 {flag} {want} 인데, 입력한 명령은 {flag} {got} 였습니다",
    },
    "hint_other_container": {
        "en": "the task's container is {want}; your command named {got}",
        "ko": "과제의 컨테이너는 {want} 인데, 입력한 명령은 {got} 를 가리켰습니다",
    },
    "hint_other_image": {
        "en": "the task's image is {want}; your command used {got}",
        "ko": "과제의 이미지는 {want} 인데, 입력한 명령은 {got} 를 썼습니다",
    },
    "hint_other_command": {
        "en": "the step runs `{want}` in the container; your command ran `{got}`",
        "ko": "이 단계는 컨테이너에서 `{want}` 를 실행하는데, 입력한 명령은 `{got}` 를 실행했습니다",
    },
    "hint_no_command": {
        "en": "the step runs `{want}` in the container, after its name or image; your command ran none",
        "ko": "이 단계는 이름이나 이미지 뒤에 `{want}` 를 실행하는데, 입력한 명령에는 없었습니다",
    },
    "hint_extra_command": {
        "en": "`{got}` after the image replaces the image's own command (its shell): the step gives none",
        "ko": "이미지 뒤의 `{got}` 는 이미지의 기본 명령(셸)을 대신합니다: 이 단계에는 그런 명령이 없습니다",
    },
    "hint_other_args": {
        "en": "the step's arguments are `{want}`; yours were `{got}`",
        "ko": "이 단계의 인자는 `{want}` 인데, 입력한 것은 `{got}` 였습니다",
    },
    "hint_name_in_use": {
        "en": "the name {name} is still taken by a container of an earlier try: free it with docker rm -f {name}, "
        "then type the step again",
        "ko": "{name} 이라는 이름은 앞서 시도한 컨테이너가 아직 쓰고 있습니다: docker rm -f {name} 로 지운 뒤 "
        "다시 입력하세요",
    },
    "hint_failed": {
        "en": "your command failed (exit status {status}); its output says why: {line}",
        "ko": "입력한 명령이 실패했습니다 (종료 코드 {status}). 출력이 알려 주는 이유: {line}",
    },
    "practice_typing": {
        "en": "typing the scenario's own command for step {n}",
        "ko": "{n}단계의 명령을 대신 입력합니다",
    },
    "practice_replay": {
        "en": "setting up where you left off: dockersim runs steps 1–{n} for you",
        "ko": "지난번에 멈춘 곳부터: dockersim 이 1–{n}단계를 먼저 실행합니다",
    },
    "practice_all_done": {"en": "all {total} steps of {title} done", "ko": "{title}의 {total}단계를 모두 마쳤습니다"},
    "screen_missing": {
        "en": "the screen never showed {pattern!r}",
        "ko": "화면에 {pattern!r}이(가) 나타나지 않았습니다",
    },
    "screen_after": {
        "en": "the screen never showed {pattern!r} after `{sent}`",
        "ko": "`{sent}` 다음에 화면에 {pattern!r}이(가) 나타나지 않았습니다",
    },
    "practice_held": {
        "en": " ({held} held back as destructive: --allow-destructive runs them)",
        "ko": " (파괴적인 {held}단계는 보류: --allow-destructive 로 실행)",
    },
    "practice_sudo": {
        "en": "practice watches docker without sudo: sudo's docker skips practice's labels, so what it makes "
        "would not be cleaned up. Type it without sudo",
        "ko": "연습 모드는 sudo 없이 docker 를 지켜봅니다: sudo 로 만든 것은 정리되지 않습니다. sudo 없이 입력하세요",
    },
    "practice_stranger": {
        "en": "{what} was not made through practice's docker (sudo, an alias or a full path?), so practice could "
        "not clean it up: remove it and type the command here",
        "ko": "{what}은(는) 연습 모드의 docker 로 만들어지지 않았습니다 (sudo, alias, 전체 경로?). "
        "삭제한 뒤 여기서 다시 입력하세요",
    },
    "practice_summary": {
        "en": "{title}: {passed} passed, {solved} solved, {skipped} skipped, {left} left of {total}",
        "ko": "{title}: 통과 {passed}, 풀이 {solved}, 건너뜀 {skipped}, 남음 {left} / 전체 {total}",
    },
    # what dockersim says in the practice shell, outside the steps
    "practice_every_step_done": {"en": "every step is done", "ko": "모든 단계를 마쳤습니다"},
    "practice_no_hook": {
        "en": "your shell did not load practice's prompt hook (does ~/.bashrc start another shell?): "
        "commands are not checked",
        "ko": "셸이 연습 모드의 프롬프트 훅을 불러오지 않았습니다 (~/.bashrc 가 다른 셸을 시작하나요?): "
        "명령을 확인하지 않습니다",
    },
    "practice_not_checked": {
        "en": "could not check that command: {error}",
        "ko": "그 명령을 확인할 수 없었습니다: {error}",
    },
    "practice_ask_failed": {"en": "could not {what}: {error}", "ko": "{what} 을(를) 할 수 없었습니다: {error}"},
    "practice_not_shown": {
        "en": "{text!r} did not show; over to you",
        "ko": "{text!r} 이(가) 나타나지 않았습니다. 여기부터는 직접 해 보세요",
    },
    "practice_needs_bash": {
        "en": "practice needs bash (it watches your commands through bash's prompt hook)",
        "ko": "연습 모드에는 bash 가 필요합니다 (bash 의 프롬프트 훅으로 명령을 지켜봅니다)",
    },
    "practice_from_beyond": {
        "en": "--from {at}: {path} has steps 1 to {total}",
        "ko": "--from {at}: {path} 에는 1–{total}단계가 있습니다",
    },
    "shim_unknown": {
        "en": "{error} (practice runs the docker commands it knows, so that it can clean up after them)",
        "ko": "{error} (practice 는 뒷정리를 할 수 있도록 자신이 아는 docker 명령만 실행합니다)",
    },
    "shim_not_ours": {
        "en": "{items}: not made in this practice, so practice does not remove it "
        "(dockersim practice --allow-destructive would)",
        "ko": "{items}: 이 연습에서 만든 것이 아니므로 지우지 않습니다 "
        "(dockersim practice --allow-destructive 로는 지웁니다)",
    },
}
