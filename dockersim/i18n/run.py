"""What a run of scenarios says: a step's outcome and why, its recording's markers, a session's failures."""

from __future__ import annotations

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
    "not_captured": {
        "en": "{{var.{name}}} has no value: the step that captures it did not pass",
        "ko": "{{var.{name}}} 값이 없습니다: 그 값을 찾는 단계가 통과하지 못했습니다",
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
    "requires_engine": {
        "en": "skipped: this step is about {needs}, and this engine is {engine}",
        "ko": "건너뜀: 이 단계는 {needs} 에 대한 것인데 이 엔진은 {engine} 입니다",
    },
    "requires_feature": {
        "en": "skipped: this step needs {needs}, which {engine} does not have",
        "ko": "건너뜀: 이 단계에는 {needs} 이(가) 필요한데 {engine} 에는 없습니다",
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
    # markers in a tty step's recording
    "mark_saw": {"en": "saw {text}", "ko": "{text} 확인"},
    "mark_eof": {"en": "the program ended", "ko": "프로그램이 끝남"},
    "mark_typed": {"en": "typed {text}", "ko": "{text} 입력"},
    "mark_aside": {"en": "in a second terminal: {text}", "ko": "두 번째 터미널에서: {text}"},
    "mark_hangup": {"en": "closed the terminal", "ko": "터미널을 닫음"},
    "mark_keys": {"en": "pressed {keys}", "ko": "{keys} 누름"},
    "mark_ended": {"en": "the client ended, exit status {status}", "ko": "클라이언트 종료, 종료 상태 {status}"},
    "mark_verdict": {"en": "{outcome}: {reason}", "ko": "{outcome}: {reason}"},
    "no_steps": {"en": "no steps", "ko": "단계 없음"},
    "aside_failed": {
        "en": "the command beside the session, {command}, ended with status {status}: {said}",
        "ko": "세션 옆에서 실행한 명령 {command} 이(가) 상태 {status} 로 끝났습니다: {said}",
    },
    "aside_no_until": {
        "en": "{pattern!r} did not show within {seconds:g}s, though {command} ran beside the session "
        "(it last said: {said})",
        "ko": "세션 옆에서 {command} 을(를) 실행했지만 {seconds:g}초 안에 {pattern!r} 이(가) 나타나지 않았습니다 "
        "(마지막 출력: {said})",
    },
    # A tty session's expectations.
    "session_ended_before": {
        "en": "the session ended before {pattern!r} appeared",
        "ko": "{pattern!r} 이(가) 나타나기 전에 세션이 끝났습니다",
    },
    "session_no_match": {
        "en": "expected {pattern!r} within {seconds:g}s",
        "ko": "{seconds:g}초 안에 {pattern!r} 이(가) 나타나기를 기대했습니다",
    },
    "session_no_end": {
        "en": "expected the session to end within {seconds:g}s",
        "ko": "{seconds:g}초 안에 세션이 끝나기를 기대했습니다",
    },
    "session_not_recorded": {
        "en": "[dockersim: the output after its first {mib} MiB was not recorded]",
        "ko": "[dockersim: 처음 {mib} MiB 뒤의 출력은 녹화하지 않았습니다]",
    },
    "not_removed": {
        "en": "could not remove what {path} made: {error}",
        "ko": "{path} 이(가) 만든 것을 지울 수 없었습니다: {error}",
    },
    "engine_named_twice": {
        "en": "--sandbox and --context both name an engine: choose one",
        "ko": "--sandbox 와 --context 가 둘 다 엔진을 지정합니다: 하나만 고르세요",
    },
}
