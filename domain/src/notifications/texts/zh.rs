//! The Chinese words of every notice as the code first wrote them: version 1 of each
//! template (admins change them from there).

use types::notifications::NotificationKind::{self, *};

/// A mail: its subject, and a body that greets the reader, says `$news`, then
/// `$lead` and the link, and signs.
macro_rules! mail {
    ($subject:literal, $news:literal) => {
        mail!($subject, $news, "")
    };
    ($subject:literal, $news:literal, $lead:literal) => {
        ($subject, concat!("{{name}}，您好：\n\n", $news, "\n\n", $lead, "{{link}}\n\n— OpenAero"))
    };
}

/// The one line the bell and the notification centre show.
pub fn in_app(kind: NotificationKind) -> &'static str {
    match kind {
        SubmissionApproved => "您的{{what}}“{{title}}”已通过审核。",
        SubmissionRejected => "您的{{what}}“{{title}}”未通过审核。",
        ChangesRequested => "您的{{what}}“{{title}}”需要修改。",
        AlertCrossed => "提醒“{{title}}”：当前数值为 {{value}}。",
        AlertRecovered => "提醒“{{title}}”已恢复：当前数值为 {{value}}。",
        WebhookDisabled => "您的 Webhook 端点 {{title}} 已连续 {{days}} 天投递失败，已被停用。",
        OrderPaid => "订单 {{order}} 已确认：我们已收到 {{amount}}。",
        OrderShipped => "您订单中的 {{sub_order}} 已由 {{carrier}} 发出，运单号 {{tracking}}。",
        OrderDelivered => "您订单中的 {{sub_order}} 已送达。",
        OrderCancelled => "您订单中的 {{sub_order}} 已取消，已付款项将退回。",
        OrderRefunded => "订单 {{order}} 已退款 {{amount}}。",
        SaleToShip => "新订单 {{sub_order}} 待发货：{{pieces}}。",
        SaleCancelled => "订单 {{sub_order}} 在发货前已取消，请不要发货。",
        PayoutApproved => "您 {{amount}} 的提现已批准。",
        PayoutRejected => "您 {{amount}} 的提现未获批准：{{reason}}",
        PayoutPaid => "您 {{amount}} 的提现已汇入银行账户。",
        NewSignIn => "您的账户刚刚在 {{browser}} 上登录。如果不是您本人，请立即修改密码。",
        PasswordChanged => "您的密码已更改，其他会话均已退出。如果不是您本人操作，请立即重置密码。",
        PayoutRequested => "{{maker}} 申请提现 {{amount}}，请批准或拒绝。",
        ReviewDigest => "审核队列新增：{{new_items}}。",
        StockLow => "“{{title}}”{{stock_left}}，请尽快补货。",
        CertificateExpiring => "“{{title}}”的认证将在 {{days}} 天后（{{expires}}）到期，请申请续期。",
        MailBounced => "发往 {{title}} 的邮件无法送达，我们已停止发送。请检查您的邮箱地址。",
        Announcement => "OpenAero 公告：{{title}}",
        RatingPublished => "“{{title}}”有一条新的 {{stars}} 星评价已发布。",
        RoleGranted => "一位管理员授予了您{{role}}角色。如果这不在您的预期之内，请立即告诉我们。",
        RoleRemoved => "一位管理员移除了您的{{role}}角色。如果这不在您的预期之内，请立即告诉我们。",
        WeeklySummary => "商店本周（{{from}} 至 {{to}}）：{{orders}} 笔已付款订单，销售额 {{sales}}。",
    }
}

/// A mail's subject and body.
pub fn email(kind: NotificationKind) -> (&'static str, &'static str) {
    match kind {
        SubmissionApproved => {
            mail!("已通过：您的{{what}}“{{title}}”", "您的{{what}}“{{title}}”已通过审核。\n\n{{feedback}}")
        }
        SubmissionRejected => mail!(
            "未通过：您的{{what}}“{{title}}”",
            "审核员查看了您的{{what}}“{{title}}”，未能通过：\n\n{{feedback}}",
            "查看详情：\n"
        ),
        ChangesRequested => mail!(
            "需要修改：您的{{what}}“{{title}}”",
            "审核员查看了您的{{what}}“{{title}}”，通过前需要修改：\n\n{{feedback}}",
            "请修改后在此重新提交：\n"
        ),
        AlertCrossed => mail!(
            "提醒“{{title}}”已触发",
            "最近 {{minutes}} 分钟的{{figure}}：{{value}}。该数值{{side}} {{threshold}} 时触发提醒。",
            "查看和修改提醒：\n"
        ),
        AlertRecovered => mail!(
            "提醒“{{title}}”已恢复",
            "最近 {{minutes}} 分钟的{{figure}}：{{value}}。该数值{{side}} {{threshold}} 时触发提醒。",
            "查看和修改提醒：\n"
        ),
        WebhookDisabled => mail!(
            "Webhook 已停用：{{title}}",
            "您的 Webhook 端点 {{title}} 已连续 {{days}} 天投递失败，已被停用。重新启用前不会再向其发送任何内容。",
            "在此修复并重新启用：\n"
        ),
        OrderPaid => mail!("订单 {{order}} 已确认", "感谢您的订购，我们已收到您的付款 {{amount}}。", "查看订单：\n"),
        OrderShipped => mail!(
            "订单 {{order}} 已发货",
            "您订单中的 {{sub_order}} 已由 {{carrier}} 发出，运单号 {{tracking}}。",
            "查看订单：\n"
        ),
        OrderDelivered => {
            mail!("订单 {{order}} 已送达", "您订单中的 {{sub_order}} 已送达，祝飞行愉快！", "查看订单：\n")
        }
        OrderCancelled => {
            mail!("订单 {{order}} 已取消", "您订单中的 {{sub_order}} 已取消，已付款项将退回。", "查看订单：\n")
        }
        OrderRefunded => {
            mail!("订单 {{order}} 退款", "我们已向您的银行卡退款 {{amount}}，到账可能需要几天。", "查看订单：\n")
        }
        SaleToShip => mail!(
            "新订单 {{sub_order}} 待发货",
            "顾客已为订单 {{sub_order}} 付款。请发往 {{destination}}：\n\n{{item_lines}}\n\n收货地址和“标记为已发货”按钮在订单页面上。"
        ),
        SaleCancelled => mail!("订单 {{sub_order}} 已取消", "订单 {{sub_order}} 在发货前已取消，请不要发货。"),
        PayoutApproved => mail!("提现已批准", "您 {{amount}} 的提现已批准，即将打款。", "查看资金：\n"),
        PayoutRejected => {
            mail!("提现未获批准", "您 {{amount}} 的提现未获批准：{{reason}}\n该款项已退回可用余额。", "查看资金：\n")
        }
        PayoutPaid => mail!("提现已打款", "您 {{amount}} 的提现已汇入您的银行账户。", "查看资金：\n"),
        NewSignIn => mail!(
            "您的 OpenAero 账户有新的登录",
            "您的账户刚刚在 {{browser}} 上登录，此前未在该浏览器上使用过。如果是您本人，无需任何操作。\n\n如果不是，请立即修改密码，其他设备都会随之退出。",
            "账户安全：\n"
        ),
        PasswordChanged => mail!(
            "您的 OpenAero 密码已更改",
            "您的密码刚刚被更改，其他所有会话均已退出。如果不是您本人操作，请立即在 {{site}}/forgot-password 重置密码。",
            "账户安全：\n"
        ),
        PayoutRequested => {
            mail!("待审批提现：{{maker}} {{amount}}", "{{maker}} 申请提现 {{amount}}。", "请批准或拒绝：\n")
        }
        ReviewDigest => mail!("审核队列：{{new_items}}", "过去一小时审核队列新增：{{new_items}}。", "处理审核队列：\n"),
        StockLow => mail!("{{title}}：{{stock_left}}", "“{{title}}”{{stock_left}}，请尽快补货以继续销售。"),
        CertificateExpiring => mail!(
            "认证将在 {{days}} 天后到期：{{title}}",
            "“{{title}}”的认证将于 {{expires}} 到期，之后商店中将不再显示其认证。",
            "请申请续期：\n"
        ),
        MailBounced => {
            mail!("发往 {{title}} 的邮件被退回", "发往 {{title}} 的邮件无法送达，我们已停止发送。请检查您的邮箱地址。")
        }
        RatingPublished => mail!(
            "新的 {{stars}} 星评价：{{title}}",
            "顾客对“{{title}}”的评价已发布，{{stars}} 星（满分 5 星）：\n\n{{review}}",
            "在您的商品中查看：\n"
        ),
        Announcement => ("{{title}}", "{{name}}，您好：\n\n{{body}}\n\n{{link}}\n\n— OpenAero"),
        RoleGranted => mail!(
            "您已获得 OpenAero 的{{role}}角色",
            "一位管理员授予了您{{role}}角色。如果这不在您的预期之内，请回复此邮件，或在您的账户中联系我们。",
            "您的账户：\n"
        ),
        RoleRemoved => mail!(
            "您在 OpenAero 的{{role}}角色已被移除",
            "一位管理员移除了您的{{role}}角色。如果这不在您的预期之内，请回复此邮件，或在您的账户中联系我们。",
            "您的账户：\n"
        ),
        WeeklySummary => (
            "商店本周概况：{{from}} 至 {{to}}",
            "{{name}}，您好：\n\n{{figures}}\n\n完整报告：\n{{link}}\n\n您收到此邮件是因为订阅了每周数据摘要。\n\n— OpenAero",
        ),
    }
}
