"""Every sentence a learner reads from the runner, in each language, in one place."""

from __future__ import annotations

import locale
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockersim.checks import Mismatch

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
    # report.html
    "h_distribution": {"en": "Score distribution", "ko": "점수 분포"},
    "h_grade_summary": {"en": "students: {n} · mean score {mean} of {max}", "ko": "학생 {n}명 · 평균 {mean} / {max}"},
    "h_table": {"en": "Students and checks", "ko": "학생별 확인 항목"},
    "h_student": {"en": "student", "ko": "학생"},
    "h_score": {"en": "score", "ko": "점수"},
    "h_pass_rate": {"en": "passed by", "ko": "통과 비율"},
    "h_engines": {"en": "Engines", "ko": "엔진"},
    "h_engine_did": {
        "en": "graded {n} · the reference solution got {canary}",
        "ko": "{n}개 채점 · 모범 답안 점수 {canary}",
    },
    "h_set_aside": {"en": "set aside:", "ko": "제외됨:"},
    "h_hidden": {"en": "hidden from students", "ko": "학생에게 숨김"},
    "h_run_title": {"en": "dockersim run", "ko": "dockersim 실행"},
    "h_recording": {"en": "recording", "ko": "녹화"},
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
    # Phrases inside a check's mismatch (field: expected …, found …) and a check's name.
    "w_present": {"en": "present", "ko": "있음"},
    "w_absent": {"en": "absent", "ko": "없음"},
    "w_none": {"en": "none", "ko": "없음"},
    "w_nothing": {"en": "nothing", "ko": "아무것도 없음"},
    "p_exposed_only": {"en": "exposed only, not published", "ko": "노출만 되고 연결(publish)되지 않음"},
    "w_unset": {"en": "unset", "ko": "설정 안 됨"},
    "p_state_of": {"en": "{what} {state}", "ko": "{what} {state}"},
    "p_or": {"en": "{a} or {b}", "ko": "{a} 또는 {b}"},
    "p_address_in": {"en": "an address in {network}", "ko": "{network} 안의 주소"},
    "p_no_address": {"en": "no address (not running?)", "ko": "주소 없음 (실행 중이 아닌가요?)"},
    "p_to_exist": {"en": "{ref!r} to exist", "ko": "{ref!r} 이(가) 있기"},
    "p_no_such_container": {"en": "no such container", "ko": "그런 컨테이너 없음"},
    "p_mount_with": {"en": "a mount with {shown}", "ko": "{shown} 인 마운트"},
    "p_no_mounts": {"en": "no mounts", "ko": "마운트 없음"},
    "p_answer_from": {"en": "an answer from {url}", "ko": "{url} 의 응답"},
    "p_no_answer": {"en": "no answer ({reason})", "ko": "응답 없음 ({reason})"},
    "p_to_match": {"en": "to match {pattern!r}", "ko": "{pattern!r} 와(과) 일치"},
    "p_bytes_not": {"en": "{n} bytes that do not", "ko": "일치하지 않는 {n}바이트"},
    "p_path_to_match": {"en": "{path} to match {pattern!r}", "ko": "{pattern!r} 와(과) 일치하는 {path}"},
    "p_running": {"en": "container {name} running", "ko": "실행 중인 컨테이너 {name}"},
    "d_check": {"en": "check {what}", "ko": "확인: {what}"},
    "d_container": {"en": "container {ref}", "ko": "컨테이너 {ref}"},
    "d_image": {"en": "image {ref}", "ko": "이미지 {ref}"},
    "d_volume": {"en": "volume {name}", "ko": "볼륨 {name}"},
    "d_count": {"en": "container count", "ko": "컨테이너 수"},
    "d_http": {"en": "http {url}", "ko": "http {url}"},
    "d_host_file": {"en": "host file {path}", "ko": "호스트 파일 {path}"},
    "d_exec": {"en": "exec in {container}", "ko": "{container} 안의 exec"},
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
    # Progress on long work.
    "kit_debootstrap": {
        "en": "debootstrap --variant=minbase {suite} from {mirror} (about 30 s)",
        "ko": "debootstrap --variant=minbase {suite} ({mirror} 에서, 30초쯤)",
    },
    "kit_mmdebstrap": {
        "en": "mmdebstrap --mode=unshare --variant=minbase {suite} from {mirror} (no root; about 30 s)",
        "ko": "mmdebstrap --mode=unshare --variant=minbase {suite} ({mirror} 에서, root 없이, 30초쯤)",
    },
    "kit_busybox": {"en": "importing busybox", "ko": "busybox 가져오는 중"},
    "kit_no_registry": {
        "en": "docker-registry is not installed: stand-ins are used as local images, and pull steps will fail",
        "ko": "docker-registry 가 설치돼 있지 않습니다: 대체 이미지를 로컬 이미지로 쓰며, pull 단계는 실패합니다",
    },
    "kit_serving": {
        "en": "serving the stand-ins from a registry on {address}",
        "ko": "대체 이미지를 {address} 의 레지스트리에서 제공합니다",
    },
    "kit_building": {"en": "building {tag}", "ko": "{tag} 빌드 중"},
    "kit_built": {"en": "built {tag} in {seconds:.1f}s", "ko": "{tag} 빌드 완료 ({seconds:.1f}초)"},
    "kit_copying": {"en": "copying {tags} from this machine's engine", "ko": "이 컴퓨터의 엔진에서 {tags} 복사 중"},
    "kit_copied": {"en": "copied in {seconds:.1f}s", "ko": "복사 완료 ({seconds:.1f}초)"},
    "reaped": {
        "en": "removed what runs that died had left: {items}",
        "ko": "죽은 실행이 남긴 것을 지웠습니다: {items}",
    },
    "pulling": {"en": "pulling {ref}", "ko": "{ref} 내려받는 중"},
    "pull_stand_in": {
        "en": "could not pull {ref} ({why}); using the offline kit's stand-in {stand_in}",
        "ko": "{ref} 을(를) 내려받지 못했습니다 ({why}); 오프라인 키트의 대체 이미지 {stand_in} 을(를) 씁니다",
    },
    "pull_failed": {
        "en": "could not pull {ref} ({why}); steps that use it will fail",
        "ko": "{ref} 을(를) 내려받지 못했습니다 ({why}); 이 이미지를 쓰는 단계는 실패합니다",
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
}


# Why a submission line does not run, and what grading says of a submission: said to students, in both
# languages. Reasons given as a phrase ("gives a container power …") follow an option's name.
REFUSALS: dict[str, dict[str, str]] = {
    "cl_no_option_before": {
        "en": "{what} takes no option {word} before its command",
        "ko": "{what} 는 명령 앞에 옵션 {word} 를 받지 않습니다",
    },
    "cl_not_a_command": {
        "en": "'{command}' is not a docker command",
        "ko": "'{command}' 은(는) docker 명령이 아닙니다",
    },
    "cl_no_option": {"en": "{what} has no option {option}", "ko": "{what} 에는 {option} 옵션이 없습니다"},
    "cl_needs_value": {"en": "{what}: {option} needs a value", "ko": "{what}: {option} 에는 값이 필요합니다"},
    "cl_no_short": {
        "en": "{what} has no option {short} (in {word})",
        "ko": "{what} 에는 {short} 옵션이 없습니다 ({word} 안에서)",
    },
    "cl_short_needs_value": {
        "en": "{what}: {short} ({long}) needs a value",
        "ko": "{what}: {short} ({long}) 에는 값이 필요합니다",
    },
    "cl_bool": {
        "en": "{what}: {option} is true or false, not {value!r}",
        "ko": "{what}: {option} 은(는) true 나 false 입니다 ({value!r} 는 안 됩니다)",
    },
    "cl_mount_fields": {
        "en": "--mount {spec!r} is not comma-separated key=value fields",
        "ko": "--mount {spec!r} 은(는) 쉼표로 나눈 key=value 가 아닙니다",
    },
    "r_only": {
        "en": "only {allowed} may be given here, not {value!r}",
        "ko": "여기에는 {allowed} 만 쓸 수 있습니다 ({value!r} 는 안 됩니다)",
    },
    "r_host_network": {
        "en": "the host's network would be the grading machine's",
        "ko": "호스트 네트워크는 채점 기계의 네트워크가 됩니다",
    },
    "r_network_value": {
        "en": "--network takes a network's name or container:NAME, not {value!r}",
        "ko": "--network 에는 네트워크 이름이나 container:NAME 을 씁니다 ({value!r} 는 안 됩니다)",
    },
    "r_env_value": {
        "en": "-e takes NAME=VALUE, not {value!r} (a bare NAME would copy the grader's own variable)",
        "ko": "-e 에는 NAME=VALUE 를 씁니다 ({value!r} 는 안 됩니다: NAME 만 쓰면 채점기의 변수가 복사됩니다)",
    },
    "r_host_path_bad": {
        "en": "the host path {path!r} cannot be used ({error})",
        "ko": "호스트 경로 {path!r} 는 쓸 수 없습니다 ({error})",
    },
    "r_all_tags": {
        "en": "--all-tags on an engine shared with others would move image names the run could not give back",
        "ko": "다른 사람과 함께 쓰는 엔진에서 --all-tags 는 되돌려 놓을 수 없는 이미지 이름을 바꿉니다",
    },
    "r_not_ours": {
        "en": "it names the {what}, which this submission did not make: on an engine shared with others, a "
        "submission reaches only what it made",
        "ko": "{what} 은(는) 이 제출물이 만든 것이 아닙니다: 다른 사람과 함께 쓰는 엔진에서 제출물은 "
        "자기가 만든 것에만 닿을 수 있습니다",
    },
    "r_outside": {
        "en": "the host path {path} leads outside the submission's workspace",
        "ko": "호스트 경로 {path} 는 제출물의 작업 폴더 밖으로 나갑니다",
    },
    "r_socket": {
        "en": "mounting an engine's socket would hand the container the engine",
        "ko": "엔진의 소켓을 마운트하면 컨테이너가 엔진을 손에 넣습니다",
    },
    "r_volume_form": {
        "en": "-v {value} is not SOURCE:TARGET[:MODE] or a container path",
        "ko": "-v {value} 는 SOURCE:TARGET[:MODE] 도 컨테이너 경로도 아닙니다",
    },
    "r_mount_mode": {
        "en": "mount mode {mode} is not allowed (use ro, rw, z, Z or nocopy)",
        "ko": "마운트 모드 {mode} 는 허용되지 않습니다 (ro, rw, z, Z, nocopy 중에서 쓰세요)",
    },
    "r_source": {
        "en": "{source} is neither a host path nor a volume name",
        "ko": "{source} 는 호스트 경로도 볼륨 이름도 아닙니다",
    },
    "r_volume_driver": {
        "en": "a volume driver can mount the grading machine's files",
        "ko": "볼륨 드라이버는 채점 기계의 파일을 마운트할 수 있습니다",
    },
    "r_volume_opt": {
        "en": "volume driver options can mount the grading machine's files (type=none,o=bind,device=…)",
        "ko": "볼륨 드라이버 옵션은 채점 기계의 파일을 마운트할 수 있습니다 (type=none,o=bind,device=…)",
    },
    "r_propagation": {
        "en": "mount propagation can carry mounts back to the grading machine",
        "ko": "마운트 전파는 마운트를 채점 기계로 되돌려 보낼 수 있습니다",
    },
    "r_mount_type": {
        "en": "--mount type={kind} is not allowed (bind, volume or tmpfs)",
        "ko": "--mount type={kind} 는 허용되지 않습니다 (bind, volume, tmpfs 중에서 쓰세요)",
    },
    "r_mount_why": {"en": "--mount {key}: {reason}", "ko": "--mount {key}: {reason}"},
    "r_mount_twice": {
        "en": "--mount gives {key} twice: one client takes the first, another the last",
        "ko": "--mount 에 {key} 가 두 번 있습니다: 클라이언트마다 첫 번째나 마지막 것을 씁니다",
    },
    "r_mount_no_source": {
        "en": "--mount type=bind needs source=HOST_PATH (without it podman binds the target's own path on its host)",
        "ko": "--mount type=bind 에는 source=HOST_PATH 가 필요합니다 (없으면 podman 은 대상과 같은 호스트 경로를 연결)",
    },
    "r_mount_key": {
        "en": "--mount {key} is not allowed in a submission",
        "ko": "제출물에서는 --mount {key} 를 쓸 수 없습니다",
    },
    "r_not_volume": {"en": "{value} is not a volume name", "ko": "{value} 는 볼륨 이름이 아닙니다"},
    "r_power": {
        "en": "gives a container power over the grading machine",
        "ko": "컨테이너에 채점 기계를 다룰 힘을 줍니다",
    },
    "r_host_ns": {
        "en": "would share a namespace of the grading machine",
        "ko": "채점 기계의 네임스페이스를 함께 쓰게 됩니다",
    },
    "r_host_files": {"en": "reads or writes the grading machine's files", "ko": "채점 기계의 파일을 읽거나 씁니다"},
    "r_confinement": {"en": "weakens the container's confinement", "ko": "컨테이너의 격리를 약하게 합니다"},
    "r_cgroups": {
        "en": "places the container in the grading machine's cgroups",
        "ko": "컨테이너를 채점 기계의 cgroup 에 둡니다",
    },
    "r_runtime": {
        "en": "chooses how the grading machine runs the container",
        "ko": "채점 기계가 컨테이너를 실행하는 방식을 고릅니다",
    },
    "r_sysctl": {"en": "changes kernel settings", "ko": "커널 설정을 바꿉니다"},
    "r_logs": {"en": "sends logs outside the engine", "ko": "로그를 엔진 밖으로 보냅니다"},
    "r_ulimit": {"en": "changes the grading machine's limits", "ko": "채점 기계의 한도를 바꿉니다"},
    "r_oom": {"en": "can take the grading machine's memory", "ko": "채점 기계의 메모리를 차지할 수 있습니다"},
    "r_client": {"en": "changes the grader's client settings", "ko": "채점기의 클라이언트 설정을 바꿉니다"},
    "r_other_engine": {
        "en": "would reach another engine than the grader's",
        "ko": "채점기의 엔진이 아닌 다른 엔진에 닿게 됩니다",
    },
    "r_context": {"en": "would reach another engine", "ko": "다른 엔진에 닿게 됩니다"},
    "r_swarm": {"en": "would change the engine's role", "ko": "엔진의 역할을 바꾸게 됩니다"},
    "r_events": {"en": "never ends by itself", "ko": "스스로 끝나지 않습니다"},
    "r_login": {"en": "writes credentials on the grading machine", "ko": "채점 기계에 자격 증명을 씁니다"},
    "r_not_docker": {"en": "this is not a docker command", "ko": "docker 명령이 아닙니다"},
    "r_option_why": {"en": "{option} {reason}", "ko": "{option}: {reason}"},
    "r_verb": {
        "en": "docker {path} is not allowed in a submission",
        "ko": "제출물에서는 docker {path} 를 쓸 수 없습니다",
    },
    "r_verb_why": {
        "en": "docker {path} is not allowed in a submission: it {reason}",
        "ko": "제출물에서는 docker {path} 를 쓸 수 없습니다: {reason}",
    },
    "r_option": {
        "en": "docker {path} {option} is not allowed in a submission",
        "ko": "제출물에서는 docker {path} {option} 를 쓸 수 없습니다",
    },
    "s_last_backslash": {
        "en": "the last line ends in \\ with nothing after it",
        "ko": "마지막 줄이 \\ 로 끝나지만 그 뒤에 아무것도 없습니다",
    },
    "s_only_ps": {
        "en": "only $(docker ps -a -q) and $(docker ps -q) may be substituted",
        "ko": "$(docker ps -a -q) 와 $(docker ps -q) 만 치환할 수 있습니다",
    },
    "s_ps_flags": {"en": "$(docker ps …) may use only {flags}", "ko": "$(docker ps …) 에는 {flags} 만 쓸 수 있습니다"},
    "s_control": {
        "en": "the line holds a control character (write it as plain text)",
        "ko": "줄에 제어 문자가 있습니다 (보통 글자로 쓰세요)",
    },
    "s_variables": {
        "en": "shell variables are not expanded: write the value itself",
        "ko": "셸 변수는 펼쳐지지 않습니다: 값을 직접 쓰세요",
    },
    "s_backticks": {
        "en": "backticks are shell syntax; a submission runs no shell",
        "ko": "역따옴표는 셸 문법입니다; 제출물은 셸 없이 실행됩니다",
    },
    "s_split": {"en": "the line cannot be split into words ({error})", "ko": "줄을 단어로 나눌 수 없습니다 ({error})"},
    "s_shell_syntax": {
        "en": "'{word}' is shell syntax; a submission runs one docker command a line, no shell",
        "ko": "'{word}' 는 셸 문법입니다; 제출물은 한 줄에 docker 명령 하나씩, 셸 없이 실행됩니다",
    },
    "s_only_docker": {
        "en": "only docker commands run in a submission, not '{word}'",
        "ko": "제출물에서는 docker 명령만 실행됩니다 ('{word}' 는 안 됩니다)",
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
    "clash": {
        "en": "the engine already holds {items}; the scenarios create these names (remove them, or pass --replace)",
        "ko": "엔진에 이미 {items} 이(가) 있습니다; 시나리오가 이 이름들을 만듭니다 (지우거나 --replace 를 주세요)",
    },
    "registry_in_use": {
        "en": "{address} is already in use; set DOCKERSIM_REGISTRY_PORT to a free port",
        "ko": "{address} 는 이미 쓰이고 있습니다; DOCKERSIM_REGISTRY_PORT 에 빈 포트를 주세요",
    },
    "no_engine": {
        "en": "no docker engine answers through {binary}: {why}",
        "ko": "{binary} 로 답하는 docker 엔진이 없습니다: {why}",
    },
    "no_binary": {"en": "no docker binary found at {binary!r}", "ko": "{binary!r} 에 docker 실행 파일이 없습니다"},
    "on_engine": {"en": "engine {slot}: {line}", "ko": "엔진 {slot}: {line}"},
    "g_not_run": {
        "en": "not run: the submission's time limit was reached",
        "ko": "실행 안 함: 제출물의 제한 시간이 지났습니다",
    },
    "g_stopped_limit": {
        "en": "stopped: the submission's time limit was reached",
        "ko": "중단됨: 제출물의 제한 시간이 지났습니다",
    },
    "g_when_run": {"en": "when it was to run: {reason}", "ko": "실행하려던 때: {reason}"},
    "g_session_not_run": {"en": "{file} was not run: {error}", "ko": "{file} 은(는) 실행되지 않았습니다: {error}"},
    "g_run_only": {
        "en": "{where}: only `run:` steps run in a session (no shell)",
        "ko": "{where}: 세션에서는 `run:` 단계만 실행됩니다 (셸 없음)",
    },
    "g_no_placeholders": {
        "en": "{where}: refused: a session's commands take no placeholders or captures",
        "ko": "{where}: 거부됨: 세션의 명령에는 자리표시자나 캡처를 쓸 수 없습니다",
    },
    "g_no_aside": {
        "en": "{where}: refused: a session runs one command a step; aside: is not run",
        "ko": "{where}: 거부됨: 세션은 한 단계에 명령 하나만 실행합니다; aside: 는 실행하지 않습니다",
    },
    "g_refused": {"en": "{where}: refused: {reason}", "ko": "{where}: 거부됨: {reason}"},
    "g_no_file": {"en": "no {file} in the submission", "ko": "제출물에 {file} 이(가) 없습니다"},
    "g_setup_failed": {
        "en": "the spec's setup step {n} failed: {reason}",
        "ko": "과제의 준비 단계 {n} 이(가) 실패했습니다: {reason}",
    },
    "g_stopped": {"en": "grading stopped: {error}", "ko": "채점이 멈췄습니다: {error}"},
    "g_no_engine": {
        "en": "not graded: every engine was set aside before it got this submission ({engines})",
        "ko": "채점 안 됨: 이 제출물을 받기 전에 모든 엔진이 제외되었습니다 ({engines})",
    },
    "g_engines_failed": {
        "en": "not graded: the engines failed while grading it ({engines}); grade it again",
        "ko": "채점 안 됨: 채점하는 동안 엔진이 멈췄습니다 ({engines}); 다시 채점하세요",
    },
    "not_graded": {
        "en": "not graded, as no engine was left to grade them: {students} (results.json says why)",
        "ko": "채점할 엔진이 남지 않아 채점하지 못했습니다: {students} (이유는 results.json 에 있습니다)",
    },
    "pool_grading": {"en": "{engine}: grading {student}", "ko": "{engine}: {student} 채점 중"},
    "pool_canary": {
        "en": "{engine}: grading the reference solution first",
        "ko": "{engine}: 먼저 모범 답안을 채점합니다",
    },
    "pool_canary_failed": {
        "en": "the reference solution got {score}/{max} here (missed: {missed})",
        "ko": "모범 답안이 여기서 {score}/{max} 점을 받았습니다 (놓친 것: {missed})",
    },
    "pool_failed_under": {
        "en": "it stopped answering while grading {student} ({why}); another engine grades it",
        "ko": "{student} 을(를) 채점하는 동안 응답하지 않았습니다 ({why}); 다른 엔진이 채점합니다",
    },
    "pool_no_answer": {"en": "it does not answer: {why}", "ko": "응답하지 않습니다: {why}"},
    "pool_not_ready": {
        "en": "it could not be made ready for {student} ({why}); another engine grades it",
        "ko": "{student} 을(를) 채점할 준비를 하지 못했습니다 ({why}); 다른 엔진이 채점합니다",
    },
    "pool_leftovers": {
        "en": "{n} objects of an earlier submission are still there after a reset",
        "ko": "초기화한 뒤에도 이전 제출물의 객체 {n} 개가 남아 있습니다",
    },
    "pool_not_left": {
        "en": "{engine} could not be left as it was ({error}); the run's reaper tries again",
        "ko": "{engine} 을(를) 원래대로 두지 못했습니다 ({error}); 실행의 정리 프로세스가 다시 시도합니다",
    },
    "pool_podman_health": {
        "en": "podman runs health checks from systemd timers, and its sandboxes have no systemd: a container's "
        "health stays 'starting' there, so the checks of health cannot pass on podman",
        "ko": "podman 은 systemd 타이머로 상태 검사를 실행하는데 샌드박스에는 systemd 가 없습니다: 컨테이너의 "
        "health 는 'starting' 에 머무르므로 health 검사는 podman 에서 통과할 수 없습니다",
    },
    "pool_not_isolated": {
        "en": "{engine}: root in its containers is its host's root (no userns-remap, not rootless); only the "
        "allow-list stands between a submission and that host",
        "ko": "{engine}: 컨테이너의 root 가 호스트의 root 입니다 (userns-remap 도 rootless 도 아님); 제출물과 그 "
        "호스트 사이에는 허용 목록뿐입니다",
    },
    "pool_set_aside": {"en": "{engine} set aside: {reason}", "ko": "{engine} 제외: {reason}"},
    "pool_afresh": {
        "en": "{engine}: {why}; started afresh",
        "ko": "{engine}: {why}; 새로 시작했습니다",
    },
    "pool_cannot_renew": {
        "en": "it is not the run's own, so it cannot be started afresh",
        "ko": "이 실행의 엔진이 아니어서 새로 시작할 수 없습니다",
    },
    "pool_disturbed": {
        "en": "{engine}: something other than {student}'s own commands changed its engine ({what}); graded again "
        "on a fresh engine",
        "ko": "{engine}: {student} 의 명령이 아닌 무언가가 엔진을 바꿨습니다 ({what}); 새 엔진에서 다시 채점합니다",
    },
    "g_disturbed": {
        "en": "not graded: something other than the submission's own commands changed its engine ({what}), "
        "each time it was graded; grade it again",
        "ko": "채점 안 됨: 채점할 때마다 제출물의 명령이 아닌 무언가가 엔진을 바꿨습니다 ({what}); 다시 채점하세요",
    },
    "bound_memory": {
        "en": "ran out of memory: {limit} is what a submission's containers may use together",
        "ko": "메모리가 부족했습니다: 제출물의 컨테이너들이 함께 쓸 수 있는 메모리는 {limit} 입니다",
    },
    "bound_processes": {
        "en": "ran out of processes: {limit} at once is what a submission's containers may run together",
        "ko": "프로세스가 부족했습니다: 제출물의 컨테이너들이 한꺼번에 실행할 수 있는 프로세스는 {limit} 개입니다",
    },
    "bound_disk": {
        "en": "ran out of disk: {limit} is what a submission may write (images, containers, volumes, its folder)",
        "ko": "디스크가 부족했습니다: 제출물이 쓸 수 있는 디스크는 {limit} 입니다 (이미지, 컨테이너, 볼륨, 폴더)",
    },
    "r_containers_limit": {
        "en": "a submission may make {n} containers, and it has made them",
        "ko": "제출물은 컨테이너를 {n} 개까지 만들 수 있는데, 이미 다 만들었습니다",
    },
    "slot_stopping": {
        "en": "the sandbox {name} is still being stopped after a run that died; using another",
        "ko": "샌드박스 {name} 은(는) 멈춘 실행의 뒷정리로 아직 멈추는 중입니다; 다른 것을 씁니다",
    },
    "slot_left_over": {
        "en": "stopping the sandbox {name}, left running by a run that died",
        "ko": "멈춘 실행이 남긴 샌드박스 {name} 을(를) 멈춥니다",
    },
    "no_slot": {
        "en": "every {what} sandbox slot on this machine ({n}) is taken by other runs; try again when one ends",
        "ko": "이 기계의 {what} 샌드박스 자리({n} 개)를 다른 실행들이 모두 쓰고 있습니다; 하나가 끝나면 다시 하세요",
    },
    "out_in_use": {
        "en": "{out} is being written by another grade run (pid {pid}); give --out a folder of its own",
        "ko": "다른 채점 실행(pid {pid})이 {out} 에 쓰고 있습니다; --out 에 다른 폴더를 주세요",
    },
    "g_could_not_check": {"en": "could not check: {error}", "ko": "확인할 수 없었습니다: {error}"},
    "f_score": {"en": "Score: {score} / {max}", "ko": "점수: {score} / {max}"},
    "g_hard_link": {
        "en": "{file} is a hard link (the same file has other names on the grading machine); a submission's files "
        "must be files of its own",
        "ko": "{file} 은(는) 하드 링크입니다 (같은 파일이 채점 기계에 다른 이름으로도 있습니다); 제출물의 파일은 "
        "제출물만의 파일이어야 합니다",
    },
    "f_not_graded": {"en": "Not graded (no score)", "ko": "채점 안 됨 (점수 없음)"},
    "h_disturbed": {"en": "disturbed while grading", "ko": "채점 중 방해받음"},
    "f_checks": {"en": "Checks", "ko": "확인 항목"},
    "f_hidden": {"en": "a hidden check ({earned}/{points})", "ko": "숨겨진 확인 항목 ({earned}/{points})"},
    "f_refused": {"en": "Lines that were refused", "ko": "거부된 줄"},
    "f_refused_label": {"en": "Refused lines:", "ko": "거부된 줄:"},
    "f_line": {"en": "line {n}", "ko": "{n}번째 줄"},
    "f_failed": {"en": "Commands that did not succeed", "ko": "성공하지 못한 명령"},
    "f_exit": {"en": "exit status {status}", "ko": "종료 코드 {status}"},
    "f_session": {"en": "Interactive session", "ko": "대화형 세션"},
    "f_notes": {"en": "Notes", "ko": "참고"},
    "f_summary_headers": {"en": "student|score|refused lines|time", "ko": "학생|점수|거부된 줄|시간"},
    "f_written": {
        "en": "written to {out}/: gradebook.csv, results.json, report.html, junit/, feedback/, recordings/, "
        "gradescope/",
        "ko": "{out}/ 에 썼습니다: gradebook.csv, results.json, report.html, junit/, feedback/, recordings/, "
        "gradescope/",
    },
    "f_visible_points": {
        "en": "{earned} / {most} points from the checks you can see",
        "ko": "볼 수 있는 확인 항목에서 {earned} / {most}점",
    },
    "g_not_regular": {
        "en": "{file} is {kind}; a submission's files must be regular files in its folder",
        "ko": "{file} 은(는) {kind}입니다; 제출물의 파일은 제출물 폴더 안의 일반 파일이어야 합니다",
    },
    "w_symlink": {"en": "a symbolic link", "ko": "심볼릭 링크"},
    "w_directory": {"en": "a directory", "ko": "디렉터리"},
    "w_fifo": {"en": "a FIFO (a named pipe)", "ko": "FIFO(이름 있는 파이프)"},
    "w_socket": {"en": "a socket", "ko": "소켓"},
    "w_device": {"en": "a device", "ko": "장치 파일"},
    "w_outside": {"en": "a name outside its folder", "ko": "폴더 밖을 가리키는 이름"},
    "g_too_large": {
        "en": "{file} is larger than {kib} KiB, more than a submission's file may be",
        "ko": "{file} 이(가) {kib} KiB 보다 큽니다; 제출물의 파일은 그보다 클 수 없습니다",
    },
    "g_unreadable": {"en": "{file} could not be read ({error})", "ko": "{file} 을(를) 읽을 수 없었습니다 ({error})"},
    "s_too_long": {
        "en": "the line is longer than {limit} characters",
        "ko": "줄이 {limit}자보다 깁니다",
    },
    "s_too_many": {
        "en": "the file has more than {limit} commands; this one and the rest were not read",
        "ko": "파일에 명령이 {limit}개보다 많습니다; 이 줄부터는 읽지 않았습니다",
    },
}
CATALOGUE.update(REFUSALS)


def default_lang() -> str:
    """Korean when the locale says so, English otherwise."""
    for var in ("DOCKERSIM_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    code = locale.getlocale()[0] or ""
    return "ko" if code.lower().startswith("ko") else "en"


def say(key: str, lang: str, /, **values: object) -> str:
    entry = CATALOGUE[key]
    return (entry.get(lang) or entry["en"]).format(**values)


class Phrase(str):
    """An English phrase that keeps its catalogue key and values, so that a report in another language can
    say it in that language (`localise`); everywhere else it is the plain English string."""

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, /, **values: object) -> Phrase:
        phrase = super().__new__(cls, say(key, "en", **values))
        phrase.key, phrase.values = key, values
        return phrase

    def __reduce__(self) -> tuple[object, ...]:  # copies (dataclasses.asdict) and pickles stay phrases
        return (_phrase, (self.key, self.values))


def _phrase(key: str, values: dict[str, object]) -> Phrase:
    return Phrase(key, **values)


def localise(text: str, lang: str) -> str:
    """The text in lang: a Phrase (and the phrases inside it) said in lang; any other string as it is."""
    if not isinstance(text, Phrase) or lang == "en":
        return str(text)
    values = {k: localise(v, lang) if isinstance(v, str) else v for k, v in text.values.items()}
    return say(text.key, lang, **values)


def mismatch_line(m: Mismatch, lang: str) -> str:
    """One `field: expected …, found …` line of a failed check, in lang."""
    return say("mismatch", lang, field=m.field, expected=localise(m.expected, lang), found=localise(m.found, lang))


def said(error: BaseException) -> str:
    """What an error says, kept a Phrase when it is one (str() would make it English for good)."""
    return error.args[0] if len(error.args) == 1 and isinstance(error.args[0], str) else str(error)


def either(items: list[str]) -> str:
    """`a or b or c`, said in the report's language."""
    out: str = items[0]
    for item in items[1:]:
        out = Phrase("p_or", a=out, b=item)
    return out


def mapped(text: str, change: Callable[[str], str]) -> str:
    """The text with change applied to its words: inside a Phrase, to each value, so that it stays one."""
    if isinstance(text, Phrase):
        return Phrase(text.key, **{k: mapped(v, change) if isinstance(v, str) else v for k, v in text.values.items()})
    return change(text)
