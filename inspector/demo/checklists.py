"""The demo checklists, drawn from the source document's own standards."""

OFFICE_WEEKLY = {
    "code": "office-weekly",
    "name": "办公环境周检",
    "description": "局机关科室每周1-2次大扫除、每天至少一次小扫除的检查标准。",
    "sections": [
        {
            "title": "桌面与资料",
            "items": [
                {
                    "key": "documents",
                    "text": "资料摆放整齐有序",
                    "type": "check",
                    "points": 3,
                    "photo_on_fail": True,
                },
                {
                    "key": "desk-dust",
                    "text": "桌面无灰尘",
                    "type": "check",
                    "points": 2,
                    "photo_on_fail": True,
                },
            ],
        },
        {
            "title": "地面与门窗",
            "items": [
                {
                    "key": "floor-spit",
                    "text": "地面无痰迹，每处扣1分，扣完为止",
                    "type": "deduct",
                    "points": 4,
                    "per": 1,
                },
                {
                    "key": "windows",
                    "text": "窗明几净",
                    "type": "scale",
                    "points": 3,
                    "guidance": "3 分：玻璃与窗台洁净；1-2 分：有少量污渍；0 分：明显积灰。",
                },
            ],
        },
        {
            "title": "文明行为",
            "items": [
                {
                    "key": "smoking",
                    "text": "公共场所无吸烟",
                    "type": "check",
                    "points": 5,
                    "critical": True,
                    "photo_on_fail": True,
                },
                {
                    "key": "litter",
                    "text": "乱吐乱扔，每处扣1分，扣完为止",
                    "type": "deduct",
                    "points": 5,
                    "per": 1,
                },
                {
                    "key": "mandarin",
                    "text": "接待使用文明礼貌用语和普通话",
                    "type": "check",
                    "points": 2,
                },
            ],
        },
        {
            "title": "车辆停放",
            "items": [
                {"key": "parking", "text": "车辆停放规范化", "type": "scale", "points": 4},
                {"key": "remarks", "text": "其他情况", "type": "text"},
            ],
        },
    ],
}

RESIDENTIAL_CLEANUP = {
    "code": "residential-cleanup",
    "name": "居住区环境整治检查",
    "description": "桂花镇新建生活小区“三新”活动环境卫生检查，整治前后同一位置拍照。",
    "sections": [
        {
            "title": "乱堆乱放、乱搭乱建",
            "items": [
                {
                    "key": "junk-piles",
                    "text": "乱堆乱放，每处扣2分，扣完为止",
                    "type": "deduct",
                    "points": 10,
                    "per": 2,
                    "photo_on_fail": True,
                },
                {
                    "key": "illegal-sheds",
                    "text": "乱搭乱建",
                    "type": "check",
                    "points": 10,
                    "critical": True,
                    "photo_on_fail": True,
                },
                {
                    "key": "litter",
                    "text": "乱丢乱扔，每处扣1分，扣完为止",
                    "type": "deduct",
                    "points": 5,
                    "per": 1,
                },
            ],
        },
        {
            "title": "清扫情况",
            "items": [
                {"key": "main-roads", "text": "主要道路清扫干净", "type": "scale", "points": 5},
                {
                    "key": "green-belts",
                    "text": "绿化带无垃圾",
                    "type": "check",
                    "points": 5,
                    "photo_on_fail": True,
                },
                {"key": "house-surrounds", "text": "房前屋后整洁", "type": "scale", "points": 5},
            ],
        },
        {
            "title": "宣传",
            "items": [
                {
                    "key": "leaflets",
                    "text": "“三新”活动宣传资料发放到户",
                    "type": "check",
                    "points": 2,
                },
                {"key": "remarks", "text": "其他情况", "type": "text"},
            ],
        },
    ],
}

CIVILISED_BEHAVIOUR = {
    "code": "civilised-behaviour",
    "name": "文明行为劝导",
    "description": (
        "行政中心办公区域经常性文明劝导：乱吐乱扔、公共场所吸烟、高声喧哗、不遵守交通秩序。"
    ),
    "sections": [
        {
            "title": "不文明行为",
            "items": [
                {
                    "key": "spitting",
                    "text": "乱吐乱扔，每发现1处扣1分",
                    "type": "deduct",
                    "points": 5,
                    "per": 1,
                },
                {
                    "key": "smoking",
                    "text": "公共场所吸烟",
                    "type": "check",
                    "points": 5,
                    "critical": True,
                },
                {"key": "noise", "text": "无高声喧哗", "type": "check", "points": 3},
                {
                    "key": "traffic",
                    "text": "遵守交通秩序，车辆停放整齐",
                    "type": "check",
                    "points": 3,
                    "photo_on_fail": True,
                },
            ],
        },
        {
            "title": "文明用语",
            "items": [
                {
                    "key": "polite-language",
                    "text": "公务活动使用普通话和文明用语",
                    "type": "scale",
                    "points": 4,
                },
                {"key": "remarks", "text": "劝导情况记录", "type": "text"},
            ],
        },
    ],
}

DEMO_CHECKLISTS = [OFFICE_WEEKLY, RESIDENTIAL_CLEANUP, CIVILISED_BEHAVIOUR]
