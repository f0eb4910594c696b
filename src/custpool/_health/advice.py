"""What to do about each health measure, in English and Chinese (from seed 000's ISOOC)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from custpool._health.measures import Measure

__all__ = ["ADVICE"]

ADVICE: Final = MappingProxyType(
    {
        Measure.INTEREST_MEMBERS: (
            "Keep the pool around its shared interest: invite and tag people who share it.",
            "围绕同好建池：邀请并标记有共同爱好的客户。",
        ),
        Measure.INTEREST_CONTENT: (
            "Publish content on the pool's shared interests, not generic promotion.",
            "内容要围绕社群的共同爱好，而不是泛泛的促销。",
        ),
        Measure.STRUCTURE_SIZE: (
            "Bring the pool back into its target size: recruit, or split it before it overflows.",
            "把客户池规模控制在目标范围内：不足就拉新，过大就拆分。",
        ),
        Measure.STRUCTURE_DEPTH: (
            "Move connected members on: start conversations, invite them to take part.",
            "推动浅层成员升级：主动沟通，邀请他们参与。",
        ),
        Measure.STRUCTURE_ADVOCATES: (
            "Grow advocates: thank and reward members who recommend the pool.",
            "培养铁杆：感谢并奖励愿意推荐的成员。",
        ),
        Measure.STRUCTURE_SPREAD: (
            "Do not depend on a few voices: draw quieter members into the conversation.",
            "避免只靠少数人活跃：带动沉默成员参与交流。",
        ),
        Measure.STRUCTURE_PLATFORMS: (
            "Use the platforms you declared, or drop the ones members never use.",
            "用好声明的交流平台，或停用成员从不使用的平台。",
        ),
        Measure.STRUCTURE_JOINING: (
            "Filter members who do not fit the joining rule (see non_members).",
            "按加入原则筛选不符合的成员（见 non_members）。",
        ),
        Measure.STRUCTURE_NORMS: (
            "Write down the pool's management norms and share them with members.",
            "制定并公布社群管理规范。",
        ),
        Measure.STRUCTURE_COMPLAINTS: (
            "Resolve complaints quickly and enforce the norms that prevent them.",
            "及时处理投诉，执行管理规范，减少投诉。",
        ),
        Measure.OUTPUT_CADENCE: (
            "Publish valuable content at the charter's cadence.",
            "按约定频率持续输出有价值的内容。",
        ),
        Measure.OUTPUT_REGULARITY: (
            "Publish steadily: a regular rhythm, not bursts and silences.",
            "稳定输出：保持节奏，不要时多时少。",
        ),
        Measure.OUTPUT_REACH: (
            "Make content reach members: better topics, timing and placement.",
            "提高内容触达：优化选题、发布时间和位置。",
        ),
        Measure.OPERATE_RITUALS: (
            "Hold the pool's rituals at their cadence (仪式感).",
            "按节奏举办固定仪式活动，建立仪式感。",
        ),
        Measure.OPERATE_ATTENDANCE: (
            "Bring more members to the rituals: invite them personally, pick better times.",
            "提高仪式活动出席率：一对一邀请，选择合适时间。",
        ),
        Measure.OPERATE_PARTICIPATION: (
            "Give members reasons to take part: questions, challenges, small tasks (参与感).",
            "设计互动话题、挑战和小任务，建立参与感。",
        ),
        Measure.OPERATE_ROLES: (
            "Give members roles: recruit helpers and hosts among the advocates (组织感).",
            "给成员分配角色：从铁杆中发展助手和主持人，建立组织感。",
        ),
        Measure.OPERATE_REPLY_HOURS: (
            "Reply to members' messages faster.",
            "更快回复成员消息。",
        ),
        Measure.OPERATE_RETENTION: (
            "Keep members: follow up with those drifting away before they leave (归属感).",
            "留住成员：在成员流失前主动关怀，建立归属感。",
        ),
        Measure.OPERATE_PEER_SHARE: (
            "Get members talking to each other, not only to the brand (归属感).",
            "促进成员之间的交流，而不只是和品牌互动。",
        ),
        Measure.COPY_CAPACITY: (
            "Add operators before copying the pool: each one is over capacity.",
            "复制前先增加运营人员：现有人员已超负荷。",
        ),
    }
)
"""``(English, Chinese)`` advice for each measure."""
