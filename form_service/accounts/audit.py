"""The audit log: who did what, when, from where, to which records, and how many rows.

It records logins, exports, full-ID views, account changes, publishing and purges, never the
personal data itself (references and counts only). The table is append-only: migration 0002
adds triggers that refuse UPDATE and DELETE on SQLite and PostgreSQL. Each record is also
written to the `portal.audit` logger as one JSON line.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from form_service.store.tables import audit_log


@dataclass(frozen=True)
class Actor:
    """Who does something, as the audit log names them: a staff username or the command line."""

    name: str
    ip: str = ""


ACTIONS = {
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出登录",
    "2fa_enrol": "启用两步验证",
    "2fa_failed": "两步验证码错误",
    "2fa_recovery": "用恢复码登录",
    "2fa_reset": "重置两步验证",
    "denied": "越权访问被拒绝",
    "view_id": "查看完整身份证号",
    "export": "导出实名制台账",
    "stats_export": "导出统计表",
    "staff_add": "新增工作人员账号",
    "staff_disable": "停用工作人员账号",
    "staff_reset": "重设工作人员密码",
    "publish": "发布网站",
    "publish_failed": "发布网站未成功",
    "content_save": "修改网站内容",
    "content_new": "新增网站内容",
    "content_withdraw": "撤下网站内容",
    "content_revert": "撤销网站内容修改",
    "content_refused": "网站内容未保存",
    "content_preview": "预览网站",
    "demo_data": "生成演示数据",
    "purge": "匿名化过期申请",
    "import_signups": "导入报名名单",
    "import_results": "导入结果名单",
    "walk_in": "代为录入申请",
    "bulk_step": "批量办理",
}

# How the audit page names the keys of `detail`.
DETAIL_LABELS = {
    "format": "格式",
    "unit": "单位",
    "kind": "范围",
    "rows": "行数",
    "sha256": "文件SHA-256",
    "cutoff": "截止日期",
    "role": "角色",
    "enabled": "启用",
    "count": "数量",
    "courses": "课程",
    "job_fairs": "招聘会",
    "error": "错误",
    "ticket": "错误编号",
    "seed": "随机种子",
    "today": "日期",
    "file": "文件",
    "added": "新增",
    "skipped": "跳过",
    "step": "办理",
    "refused": "未办理",
    "channel": "渠道",
    "collection": "内容类别",
    "changed": "修改的项",
    "outcome": "结果",
    "change": "修改记录号",
    "build": "网站版本",
    "method": "方式",
    "left": "剩余恢复码",
}

logger = logging.getLogger("portal.audit")


def record(
    conn: sa.Connection,
    *,
    by: Actor,
    action: str,
    unit_id: str | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one record (and log it as one JSON line, so CR/LF in values cannot forge lines)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    at = datetime.now(UTC)
    values = {
        "at": at,
        "actor": by.name,
        "action": action,
        "unit_id": unit_id,
        "target": target,
        "detail": detail or {},
        "ip": by.ip,
    }
    conn.execute(audit_log.insert().values(**values))
    logger.info(json.dumps(values | {"at": at.isoformat()}, ensure_ascii=False, default=str))


def recent(
    conn: sa.Connection, *, limit: int = 200, actions: tuple[str, ...] | None = None
) -> list[sa.Row]:
    """Return the latest records, newest first."""
    query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if actions:
        query = query.where(audit_log.c.action.in_(actions))
    return list(conn.execute(query))
