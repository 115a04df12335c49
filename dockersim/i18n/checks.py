"""What a check says: what it looks for (d_), what it expected and found (p_, w_)."""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
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
    "p_at_most": {"en": "at most {limit}", "ko": "최대 {limit}"},
    "p_size": {"en": "{size} ({bytes} bytes)", "ko": "{size} ({bytes}바이트)"},
    "p_health_test": {"en": "a health check running {test}", "ko": "{test} 을(를) 실행하는 헬스체크"},
    "p_no_image": {
        "en": "no image {ref} on the engine to compare with",
        "ko": "비교할 이미지 {ref} 이(가) 엔진에 없음",
    },
    "p_no_base": {
        "en": "no image on the engine that it was built on",
        "ko": "엔진에 이 이미지의 바탕이 된 이미지가 없음",
    },
    "d_check": {"en": "check {what}", "ko": "확인: {what}"},
    "d_container": {"en": "container {ref}", "ko": "컨테이너 {ref}"},
    "d_image": {"en": "image {ref}", "ko": "이미지 {ref}"},
    "d_volume": {"en": "volume {name}", "ko": "볼륨 {name}"},
    "d_count": {"en": "container count", "ko": "컨테이너 수"},
    "d_http": {"en": "http {url}", "ko": "http {url}"},
    "d_host_file": {"en": "host file {path}", "ko": "호스트 파일 {path}"},
    "d_exec": {"en": "exec in {container}", "ko": "{container} 안의 exec"},
}
