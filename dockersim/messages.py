"""Every sentence a learner reads from the runner, in each language, in one place."""

from __future__ import annotations

import locale
import os

CATALOGUE: dict[str, dict[str, str]] = {
    "exit_mismatch": {
        "en": "expected exit status {expected}, got {status}",
        "ko": "종료 코드 {expected}을(를) 기대했지만 {status}(으)로 끝났습니다",
    },
    "timed_out": {
        "en": "the command did not finish within {seconds:g}s",
        "ko": "명령이 {seconds:g}초 안에 끝나지 않았습니다",
    },
    "no_match": {
        "en": "expected {stream} to match {pattern!r}",
        "ko": "{stream} 출력이 {pattern!r}와(과) 맞기를 기대했습니다",
    },
    "unwanted_match": {
        "en": "expected {stream} not to match {pattern!r}",
        "ko": "{stream} 출력에 {pattern!r}이(가) 없기를 기대했습니다",
    },
    "no_capture": {
        "en": "could not capture {name}: {pattern!r} found nothing in stdout",
        "ko": "{name} 값을 찾지 못했습니다: stdout에 {pattern!r}이(가) 없습니다",
    },
    "check_failed": {"en": "{what} is not as expected", "ko": "{what}이(가) 기대와 다릅니다"},
    "check_error": {"en": "could not check {what}: {error}", "ko": "{what}을(를) 확인할 수 없습니다: {error}"},
    "detached_not_running": {
        "en": "the client detached but container {name} is {state}, not running",
        "ko": "분리(detach)는 됐지만 컨테이너 {name}이(가) 실행 중이 아니라 {state} 상태입니다",
    },
    "no_container": {"en": "no container {name!r}", "ko": "컨테이너 {name!r}이(가) 없습니다"},
    "not_published": {
        "en": "container {name} publishes no host port for {port}",
        "ko": "컨테이너 {name}은(는) {port} 포트를 호스트에 연결하지 않았습니다",
    },
    "no_ip": {
        "en": "container {name} has no IP address (is it running?)",
        "ko": "컨테이너 {name}에 IP 주소가 없습니다 (실행 중인가요?)",
    },
    "destructive_refused": {
        "en": "skipped: this step acts on containers or volumes the run did not create; "
        "use --allow-destructive or a sandbox engine to run it",
        "ko": "건너뜀: 이 단계는 이 실행이 만들지 않은 컨테이너나 볼륨까지 건드립니다. "
        "--allow-destructive 또는 샌드박스 엔진에서 실행하세요",
    },
    "not_run": {
        "en": "not run: an earlier step failed and --fail-fast is on",
        "ko": "실행 안 함: 앞 단계가 실패했고 --fail-fast가 켜져 있습니다",
    },
    "program_missing": {
        "en": "cannot run {program!r}: no such program",
        "ko": "{program!r}을(를) 실행할 수 없습니다: 프로그램이 없습니다",
    },
    "engine_error": {"en": "the engine could not be asked: {error}", "ko": "엔진에 물어볼 수 없었습니다: {error}"},
    "mismatch": {
        "en": "{field}: expected {expected}, found {found}",
        "ko": "{field}: {expected}을(를) 기대했지만 {found}입니다",
    },
    # What the text report prints around the steps.
    "screen_was": {"en": "; the screen was:", "ko": "; 화면은 이랬습니다:"},
    "hint": {"en": "hint: {hint}", "ko": "힌트: {hint}"},
    "removed": {
        "en": "removed what the run created: {count} objects",
        "ko": "이 실행이 만든 것을 지웠습니다: {count}개",
    },
    "kept": {"en": "kept (--keep): {items}", "ko": "남겨 둠 (--keep): {items}"},
    "note": {"en": "note: {note}", "ko": "참고: {note}"},
    "interrupted": {
        "en": "dockersim: interrupted; removed what the run created ({count} objects)",
        "ko": "dockersim: 중단됨; 이 실행이 만든 것을 지웠습니다 ({count}개)",
    },
    "headers": {"en": "scenario|#|step|result|seconds|reason", "ko": "시나리오|#|단계|결과|초|이유"},
    "passed": {"en": "passed", "ko": "통과"},
    "failed": {"en": "failed", "ko": "실패"},
    "error": {"en": "error", "ko": "오류"},
    "skipped": {"en": "skipped", "ko": "건너뜀"},
    "no_steps": {"en": "no steps", "ko": "단계 없음"},
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
}


def default_lang() -> str:
    """Korean when the locale says so, English otherwise."""
    for var in ("DOCKERSIM_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    code = locale.getlocale()[0] or ""
    return "ko" if code.lower().startswith("ko") else "en"


def say(key: str, lang: str, **values: object) -> str:
    entry = CATALOGUE[key]
    return (entry.get(lang) or entry["en"]).format(**values)
