//! The words of the admin console's announcements, in both languages side by side.

use types::announcements::AnnouncementStatus;

pub struct AnnouncementsTexts {
    pub title: &'static str,
    pub lead: &'static str,
    pub none: &'static str,
    pub new_title: &'static str,
    pub audience: &'static str,
    pub title_en: &'static str,
    pub body_en: &'static str,
    pub title_zh: &'static str,
    pub body_zh: &'static str,
    pub per_minute: &'static str,
    pub per_minute_hint: &'static str,
    pub send: &'static str,
    pub sent: &'static str,
    pub cancel: &'static str,
    pub progress: &'static str,
    pub status_name: fn(AnnouncementStatus) -> &'static str,
    pub told: fn(u32, u32) -> String,
    pub rate: fn(u32) -> String,
}

pub static EN: AnnouncementsTexts = AnnouncementsTexts {
    title: "Announcements",
    lead: "A message to everyone holding a role, in English and Chinese: each reads it in their language, in the app and by mail as they chose for announcements, and can stop such mail in one click.",
    none: "No announcements yet.",
    new_title: "New announcement",
    audience: "To everyone who is",
    title_en: "Title (English)",
    body_en: "Text (English)",
    title_zh: "Title (Chinese)",
    body_zh: "Text (Chinese)",
    per_minute: "People per minute",
    per_minute_hint: "From 1 to 10,000. Mail goes out as fast as the mail provider takes it.",
    send: "Send",
    sent: "Sending. You can stop it below while it runs.",
    cancel: "Stop sending",
    progress: "Told",
    status_name: |s| match s {
        AnnouncementStatus::Sending => "Sending",
        AnnouncementStatus::Cancelled => "Stopped",
        AnnouncementStatus::Done => "Done",
    },
    told: |told, total| format!("{told} of {total}"),
    rate: |n| format!("{n} a minute"),
};

pub static ZH: AnnouncementsTexts = AnnouncementsTexts {
    title: "公告",
    lead: "发给某一角色所有用户的消息，使用英文和中文撰写：每个人以自己的语言阅读，按其对公告的偏好在应用内和通过邮件接收，并可一键停止此类邮件。",
    none: "还没有公告。",
    new_title: "新公告",
    audience: "发给所有",
    title_en: "标题（英文）",
    body_en: "正文（英文）",
    title_zh: "标题（中文）",
    body_zh: "正文（中文）",
    per_minute: "每分钟人数",
    per_minute_hint: "1 到 10,000。邮件按邮件服务商的接收速度发出。",
    send: "发送",
    sent: "正在发送。发送过程中可在下方停止。",
    cancel: "停止发送",
    progress: "已通知",
    status_name: |s| match s {
        AnnouncementStatus::Sending => "发送中",
        AnnouncementStatus::Cancelled => "已停止",
        AnnouncementStatus::Done => "已完成",
    },
    told: |told, total| format!("{told} / {total}"),
    rate: |n| format!("每分钟 {n} 人"),
};
