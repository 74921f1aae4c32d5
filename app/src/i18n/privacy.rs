//! The words of a person's own data: downloading it and closing the account, in both
//! languages side by side.

use types::profile::ClosingBlocker;

pub struct PrivacyTexts {
    pub tab: &'static str,
    pub export_title: &'static str,
    pub export_lead: &'static str,
    pub export_button: &'static str,
    pub close_title: &'static str,
    pub close_lead: &'static str,
    pub first: &'static str,
    pub blocker: fn(ClosingBlocker) -> &'static str,
    pub erased: &'static str,
    pub kept: fn(u32) -> String,
    pub archived: fn(u32) -> String,
    pub close_button: &'static str,
    pub closed_title: &'static str,
    pub closed_lead: &'static str,
}

pub static EN: PrivacyTexts = PrivacyTexts {
    tab: "Your data",
    export_title: "Download your data",
    export_lead: "Everything we keep about you in one JSON file: profile, choices, addresses, orders, ratings, notices and what we sent you, the browsers you use, your API tokens and webhooks (never their secrets).",
    export_button: "Download (JSON)",
    close_title: "Close your account",
    close_lead: "Closing your account cannot be undone.",
    first: "Before you can close it:",
    blocker: |b| match b {
        ClosingBlocker::OrdersOnTheirWay => {
            "An order of yours is still on its way. Wait until it arrives, or cancel it."
        }
        ClosingBlocker::SalesToFulfil => "You have paid orders to ship. Ship or cancel them first.",
        ClosingBlocker::MoneyToPayOut => {
            "You have money pending, available or in a payout. It has to be paid out first."
        }
        ClosingBlocker::LastAdmin => "You are the only admin. Make someone else an admin first.",
    },
    erased: "Erased at once: your name, email, profile, addresses, notification choices, notices, the browsers you signed in with, API tokens and webhooks. You are signed out everywhere.",
    kept: |n| {
        match n {
        0 => "Ratings you wrote stay, under no name.".to_owned(),
        1 => "Kept for our accounts: your order, without your name or street (only the country it went to). Ratings you wrote stay, under no name.".to_owned(),
        n => format!("Kept for our accounts: your {n} orders, without your name or street (only the country they went to). Ratings you wrote stay, under no name."),
    }
    },
    archived: |n| match n {
        1 => "Your product goes off sale; your shop's name stays on past sales.".to_owned(),
        n => format!("Your {n} products go off sale; your shop's name stays on past sales."),
    },
    close_button: "Close my account for good",
    closed_title: "Your account is closed",
    closed_lead: "We sent a last mail to the address it had. Thank you for flying with OpenAero.",
};

pub static ZH: PrivacyTexts = PrivacyTexts {
    tab: "您的数据",
    export_title: "下载您的数据",
    export_lead: "我们保存的关于您的全部数据，合为一个 JSON 文件：资料、偏好、地址、订单、评价、通知和发给您的消息、您使用的浏览器、API 令牌和 Webhook（不含任何密钥）。",
    export_button: "下载（JSON）",
    close_title: "注销账户",
    close_lead: "账户注销后无法恢复。",
    first: "注销之前需要：",
    blocker: |b| match b {
        ClosingBlocker::OrdersOnTheirWay => "您有订单仍在途中。请等待送达，或取消订单。",
        ClosingBlocker::SalesToFulfil => "您有已付款的订单待发货。请先发货或取消。",
        ClosingBlocker::MoneyToPayOut => "您有待结算、可提现或提现中的款项。请先完成提现。",
        ClosingBlocker::LastAdmin => "您是唯一的管理员。请先指定另一位管理员。",
    },
    erased: "立即删除：您的姓名、邮箱、资料、地址、通知偏好、通知、登录过的浏览器、API 令牌和 Webhook。所有设备上的登录都将退出。",
    kept: |n| match n {
        0 => "您写的评价会保留，但不显示姓名。".to_owned(),
        n => format!(
            "因账务需要保留：您的 {n} 个订单，但不含您的姓名和街道地址（只保留寄往的国家）。您写的评价会保留，但不显示姓名。"
        ),
    },
    archived: |n| format!("您的 {n} 件商品将下架；店铺名称仍保留在过往的销售记录中。"),
    close_button: "永久注销我的账户",
    closed_title: "您的账户已注销",
    closed_lead: "我们已向原邮箱发送了最后一封邮件。感谢您使用 OpenAero。",
};
