"""What is said of the engine, the kit and dead runs' leftovers before and around a run."""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
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
}
