"""What grading says: to the instructor while it grades, and in a student's notes."""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
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
    "g_hard_link": {
        "en": "{file} is a hard link (the same file has other names on the grading machine); a submission's files "
        "must be files of its own",
        "ko": "{file} 은(는) 하드 링크입니다 (같은 파일이 채점 기계에 다른 이름으로도 있습니다); 제출물의 파일은 "
        "제출물만의 파일이어야 합니다",
    },
    "g_not_regular": {
        "en": "{file} is {kind}; a submission's files must be regular files in its folder",
        "ko": "{file} 은(는) {kind}입니다; 제출물의 파일은 제출물 폴더 안의 일반 파일이어야 합니다",
    },
    "g_too_large": {
        "en": "{file} is larger than {kib} KiB, more than a submission's file may be",
        "ko": "{file} 이(가) {kib} KiB 보다 큽니다; 제출물의 파일은 그보다 클 수 없습니다",
    },
    "g_unreadable": {"en": "{file} could not be read ({error})", "ko": "{file} 을(를) 읽을 수 없었습니다 ({error})"},
}
