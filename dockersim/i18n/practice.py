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
