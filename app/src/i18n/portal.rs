//! The words of selling, reviewing, uploading and notifications, in both languages
//! side by side so they stay in step.

use types::TextEnum;
use types::{
    Locale,
    catalog::ProductStatus,
    notifications::{Notification, NotificationKind},
    products::RevisionStatus,
    review::{ClaimFilter, Decision, ReviewKind, ReviewStatus},
};

pub struct PortalTexts {
    pub upload_needs_js: &'static str,
    pub remove: &'static str,
    pub selling_title: &'static str,
    pub application_submitted: &'static str,
    pub verified_title: &'static str,
    pub verified_text: &'static str,
    pub open_portal: &'static str,
    pub public_page: &'static str,
    pub pending_title: &'static str,
    pub pending_text: fn(&str) -> String,
    pub business_name: &'static str,
    pub business_kind: &'static str,
    pub tax_id: &'static str,
    pub tax_id_hint: &'static str,
    pub tax_id_again: &'static str,
    pub address: &'static str,
    pub address_line1: &'static str,
    pub address_line2: &'static str,
    pub city: &'static str,
    pub region: &'static str,
    pub postal_code: &'static str,
    pub country: &'static str,
    pub choose: &'static str,
    pub country_name: fn(&str) -> &'static str,
    pub contact_email: &'static str,
    pub contact_phone: &'static str,
    pub documents: &'static str,
    pub documents_hint: &'static str,
    pub apply_title: &'static str,
    pub apply_intro: &'static str,
    pub rejected_title: &'static str,
    pub submit_application: &'static str,
    pub notifications: &'static str,
    pub notifications_unread: fn(u32) -> String,
    pub mark_all_read: &'static str,
    pub no_notifications: &'static str,
    pub no_matching_notifications: &'static str,
    /// The live notice's name, for the region that announces it.
    pub new_notification: &'static str,
    pub dismiss: &'static str,
    pub mark_read: &'static str,
    pub delete_notification: &'static str,
    pub unread_only: &'static str,
    pub all_topics: &'static str,
    pub show: &'static str,
    pub older: &'static str,
    pub newest: &'static str,
    pub notification_text: fn(&Notification) -> String,
    pub review_queue: &'static str,
    pub filter_kind: &'static str,
    pub all_kinds: &'static str,
    pub review_kind: fn(ReviewKind) -> &'static str,
    pub filter_claim: &'static str,
    pub claim_filter: fn(ClaimFilter) -> &'static str,
    pub queue_empty: &'static str,
    pub submitted: &'static str,
    pub subject: &'static str,
    pub creator: &'static str,
    pub claimed_by: &'static str,
    pub claim: &'static str,
    pub release: &'static str,
    pub claimed_by_other: fn(&str) -> String,
    /// The account's file storage: used, of the quota.
    pub storage_used: fn(&str, &str) -> String,
    /// In place of the claim and decision buttons on the reader's own case.
    pub own_case: &'static str,
    pub own_case_short: &'static str,
    pub decision_recorded: &'static str,
    pub decision_recorded_customer: &'static str,
    pub first_submission: &'static str,
    pub compared_with_approved: &'static str,
    pub compared_with_previous: &'static str,
    pub submitted_by: fn(&str, &str) -> String,
    pub rating_sold_by: fn(&str, &str) -> String,
    pub review_status: fn(ReviewStatus) -> &'static str,
    pub application: &'static str,
    pub changes: &'static str,
    pub history: &'static str,
    pub field: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub field_label: fn(&str) -> String,
    pub changed: &'static str,
    pub decision: &'static str,
    pub decision_label: fn(Decision) -> &'static str,
    pub feedback: &'static str,
    pub feedback_hint: &'static str,
    pub feedback_customer: &'static str,
    pub feedback_customer_hint: &'static str,
    pub record_decision: &'static str,
    pub history_entry: fn(Option<Decision>, &str) -> String,
    pub selling_tab: &'static str,
    pub new_product: &'static str,
    pub recent_feedback: &'static str,
    pub product_status: fn(ProductStatus) -> &'static str,
    pub revision_status: fn(RevisionStatus) -> &'static str,
    pub low_stock: &'static str,
    pub available: fn(i32) -> String,
    pub product: &'static str,
    pub status: &'static str,
    pub price: &'static str,
    pub stock: &'static str,
    pub updated: &'static str,
    pub view_in_store: &'static str,
    pub product_saved: &'static str,
    pub product_submitted: &'static str,
    pub waiting_for_review: &'static str,
    pub reviewer_feedback: &'static str,
    pub published_changes_note: &'static str,
    pub category: &'static str,
    pub name_en: &'static str,
    pub name_zh: &'static str,
    pub summary_en: &'static str,
    pub summary_zh: &'static str,
    pub description_en: &'static str,
    pub description_zh: &'static str,
    pub price_usd: &'static str,
    pub specifications: &'static str,
    pub ip_rating: &'static str,
    pub features: &'static str,
    pub compatibility: &'static str,
    pub tags: &'static str,
    pub one_per_line: &'static str,
    pub media: &'static str,
    pub media_hint: &'static str,
    pub move_up: &'static str,
    pub save_draft: &'static str,
    pub submit_for_review: &'static str,
    pub archive: &'static str,
}

fn country_en(code: &str) -> &'static str {
    match code {
        "AU" => "Australia",
        "AT" => "Austria",
        "BE" => "Belgium",
        "CA" => "Canada",
        "CH" => "Switzerland",
        "CN" => "China",
        "CZ" => "Czechia",
        "DE" => "Germany",
        "DK" => "Denmark",
        "ES" => "Spain",
        "FI" => "Finland",
        "FR" => "France",
        "GB" => "United Kingdom",
        "HK" => "Hong Kong",
        "IE" => "Ireland",
        "IN" => "India",
        "IT" => "Italy",
        "JP" => "Japan",
        "KR" => "South Korea",
        "NL" => "Netherlands",
        "NO" => "Norway",
        "NZ" => "New Zealand",
        "PL" => "Poland",
        "PT" => "Portugal",
        "SE" => "Sweden",
        "SG" => "Singapore",
        "TW" => "Taiwan",
        "US" => "United States",
        _ => "—",
    }
}

fn country_zh(code: &str) -> &'static str {
    match code {
        "AU" => "澳大利亚",
        "AT" => "奥地利",
        "BE" => "比利时",
        "CA" => "加拿大",
        "CH" => "瑞士",
        "CN" => "中国",
        "CZ" => "捷克",
        "DE" => "德国",
        "DK" => "丹麦",
        "ES" => "西班牙",
        "FI" => "芬兰",
        "FR" => "法国",
        "GB" => "英国",
        "HK" => "中国香港",
        "IE" => "爱尔兰",
        "IN" => "印度",
        "IT" => "意大利",
        "JP" => "日本",
        "KR" => "韩国",
        "NL" => "荷兰",
        "NO" => "挪威",
        "NZ" => "新西兰",
        "PL" => "波兰",
        "PT" => "葡萄牙",
        "SE" => "瑞典",
        "SG" => "新加坡",
        "TW" => "中国台湾",
        "US" => "美国",
        _ => "—",
    }
}

fn kind_en(k: ReviewKind) -> &'static str {
    match k {
        ReviewKind::CreatorVerification => "Creator verification",
        ReviewKind::ProductSubmission => "Product",
        ReviewKind::PortfolioItem => "Portfolio item",
        ReviewKind::CertificationApplication => "Certification",
        ReviewKind::Rating => "Customer review",
    }
}

fn kind_zh(k: ReviewKind) -> &'static str {
    match k {
        ReviewKind::CreatorVerification => "创作者认证",
        ReviewKind::ProductSubmission => "产品",
        ReviewKind::PortfolioItem => "作品集",
        ReviewKind::CertificationApplication => "产品认证",
        ReviewKind::Rating => "顾客评价",
    }
}

pub static EN: PortalTexts = PortalTexts {
    upload_needs_js: "Uploading files needs JavaScript. Turn it on for this site to attach documents.",
    remove: "Remove",
    selling_title: "Sell on OpenAero",
    application_submitted: "Thank you — your application is in the review queue. We will tell you here and by mail.",
    verified_title: "You are a verified creator",
    verified_text: "Your business is verified. List products in the creator portal; approved products appear in the storefront.",
    open_portal: "Open the creator portal",
    public_page: "Your public page",
    pending_title: "Your application is being reviewed",
    pending_text: |when| format!("Submitted {when}. Reviewers usually decide within two working days."),
    business_name: "Business name",
    business_kind: "Type of business",
    tax_id: "Tax id",
    tax_id_hint: "VAT, EIN or business registration number. Stored encrypted; only its last four characters are ever shown.",
    tax_id_again: "Enter your tax id again to resubmit. It is stored encrypted and shown only as •••• and its last four characters.",
    address: "Business address",
    address_line1: "Street and number",
    address_line2: "Apartment, suite, building (optional)",
    city: "City",
    region: "State or province (optional)",
    postal_code: "Postal code",
    country: "Country",
    choose: "Choose…",
    country_name: country_en,
    contact_email: "Contact email",
    contact_phone: "Contact phone (optional)",
    documents: "Verification documents",
    documents_hint: "A business registration or ID document, as PDF or photo (up to 5 files, 25 MB each). Only reviewers see them.",
    apply_title: "Apply to sell",
    apply_intro: "Tell us about your business. A reviewer checks your documents, usually within two working days; once verified you can list products.",
    rejected_title: "Your last application needs changes:",
    submit_application: "Submit for review",
    notifications: "Notifications",
    notifications_unread: |n| {
        if n == 1 { "1 unread notification".to_owned() } else { format!("{n} unread notifications") }
    },
    mark_all_read: "Mark all as read",
    no_notifications: "Nothing new. Orders, payouts and review decisions will appear here.",
    no_matching_notifications: "No notifications match these choices.",
    new_notification: "New notification",
    dismiss: "Dismiss",
    mark_read: "Mark as read",
    delete_notification: "Delete",
    unread_only: "Unread only",
    all_topics: "All topics",
    show: "Show",
    older: "Older",
    newest: "Newest",
    notification_text: |n| {
        let title = n.params.get("title").map(String::as_str).unwrap_or_default();
        let what = n.params.get("review_kind").and_then(|k| ReviewKind::parse(k)).map_or("submission", |k| match k {
            ReviewKind::CreatorVerification => "application to sell",
            ReviewKind::ProductSubmission => "product",
            ReviewKind::PortfolioItem => "portfolio item",
            ReviewKind::CertificationApplication => "certification application",
            ReviewKind::Rating => "review of",
        });
        match n.kind {
            NotificationKind::SubmissionApproved => format!("Your {what} “{title}” was approved."),
            NotificationKind::SubmissionRejected => format!("Your {what} “{title}” was not approved."),
            NotificationKind::ChangesRequested => format!("Your {what} “{title}” needs changes."),
            NotificationKind::AlertCrossed => format!("Alert “{title}”: the figure is {}.", param(n, "value")),
            NotificationKind::AlertRecovered => {
                format!("Alert “{title}” recovered: the figure is {}.", param(n, "value"))
            }
            NotificationKind::WebhookDisabled => {
                format!("Your webhook endpoint {title} failed for {} days and was switched off.", param(n, "days"))
            }
            NotificationKind::OrderPaid => {
                format!("Order {} is confirmed: we received {}.", param(n, "order"), amount(n, Locale::En))
            }
            NotificationKind::OrderShipped => format!(
                "Part {} of your order is on its way with {}, tracking number {}.",
                param(n, "sub_order"),
                param(n, "carrier"),
                param(n, "tracking")
            ),
            NotificationKind::OrderDelivered => format!("Part {} of your order was delivered.", param(n, "sub_order")),
            NotificationKind::OrderCancelled => {
                format!("Part {} of your order was cancelled; what you paid for it is refunded.", param(n, "sub_order"))
            }
            NotificationKind::OrderRefunded => {
                format!("We refunded {} for order {}.", amount(n, Locale::En), param(n, "order"))
            }
            NotificationKind::SaleToShip => {
                let items = match param(n, "items") {
                    "1" => "1 item".to_owned(),
                    n => format!("{n} items"),
                };
                format!("New order {} to ship: {items}.", param(n, "sub_order"))
            }
            NotificationKind::SaleCancelled => {
                format!("Order {} was cancelled before shipping: do not send it.", param(n, "sub_order"))
            }
            NotificationKind::PayoutApproved => format!("Your payout of {} was approved.", amount(n, Locale::En)),
            NotificationKind::PayoutRejected => {
                format!("Your payout of {} was not approved: {}", amount(n, Locale::En), param(n, "reason"))
            }
            NotificationKind::PayoutPaid => format!("Your payout of {} was sent to your bank.", amount(n, Locale::En)),
            NotificationKind::NewSignIn => format!(
                "New sign-in to your account from {}. If this was not you, change your password now.",
                param(n, "browser")
            ),
            NotificationKind::PasswordChanged => {
                "Your password was changed and your other sessions signed out. If this was not you, reset it now."
                    .to_owned()
            }
            NotificationKind::PayoutRequested => {
                format!("{} asked to be paid {}: approve or reject it.", param(n, "maker"), amount(n, Locale::En))
            }
            NotificationKind::ReviewDigest => match param(n, "count") {
                "1" => "1 new item is waiting in the review queue.".to_owned(),
                count => format!("{count} new items are waiting in the review queue."),
            },
            NotificationKind::StockLow => match param(n, "stock") {
                "0" => format!("“{title}” is sold out: restock it to keep selling."),
                stock => format!("Only {stock} left of “{title}”: restock it soon."),
            },
            NotificationKind::CertificateExpiring => format!(
                "The certificate of “{title}” expires in {} days, on {}: apply to renew it.",
                param(n, "days"),
                param(n, "expires")
            ),
            NotificationKind::MailBounced => {
                format!("Mail to {title} cannot be delivered, so we stopped sending it. Check your address.")
            }
            NotificationKind::Announcement => format!("From OpenAero: {}", param(n, "title_en")),
        }
    },
    review_queue: "Review queue",
    filter_kind: "Kind",
    all_kinds: "All kinds",
    review_kind: kind_en,
    filter_claim: "Claimed",
    claim_filter: |c| match c {
        ClaimFilter::All => "Everyone's",
        ClaimFilter::Unclaimed => "Unclaimed",
        ClaimFilter::Mine => "Mine",
    },
    queue_empty: "The queue is empty. Nothing waits for a decision.",
    submitted: "Submitted",
    subject: "Submission",
    creator: "Creator",
    claimed_by: "Reviewer",
    claim: "Claim",
    release: "Release",
    claimed_by_other: |name| format!("{name} is reviewing this."),
    own_case: "Submitted by you or about your shop: another reviewer decides.",
    storage_used: |used, quota| {
        format!("File storage: {used} of {quota} used. Uploads never attached to anything are removed after a day.")
    },
    own_case_short: "Yours: another reviewer decides",
    decision_recorded: "Decision recorded. The creator has been told.",
    decision_recorded_customer: "Decision recorded. The customer has been told.",
    first_submission: "First submission: nothing to compare with.",
    compared_with_approved: "Compared with the last approved submission.",
    compared_with_previous: "Nothing was approved yet: compared with the previous submission.",
    submitted_by: |who, when| format!("Submitted by {who} on {when}"),
    rating_sold_by: |maker, when| format!("Sold by {maker} · review sent on {when}"),
    review_status: |s| match s {
        ReviewStatus::Open => "Waiting",
        ReviewStatus::Approved => "Approved",
        ReviewStatus::Rejected => "Rejected",
        ReviewStatus::ChangesRequested => "Changes requested",
        ReviewStatus::Withdrawn => "Withdrawn",
    },
    application: "Application",
    changes: "Changes",
    history: "History",
    field: "Field",
    before: "Before",
    after: "Now",
    field_label: |f| {
        match f {
            "business_name" => "Business name",
            "kind" => "Type",
            "tax_id" => "Tax id",
            "address" => "Address",
            "contact_email" => "Contact email",
            "contact_phone" => "Contact phone",
            "documents" => "Documents",
            "category" => "Category",
            "name_en" => "Name (English)",
            "name_zh" => "Name (Chinese)",
            "summary_en" => "Summary (English)",
            "summary_zh" => "Summary (Chinese)",
            "description_en" => "Description (English)",
            "description_zh" => "Description (Chinese)",
            "dimensions" => "Dimensions",
            "ip_rating" => "Weather rating",
            "compatibility" => "Works with",
            "features" => "Features",
            "tags" => "Tags",
            "media" => "Media",
            "level" => "Level",
            "title" => "Title",
            "description" => "Description",
            "message" => "Message",
            "stars" => "Stars",
            "review" => "Review",
            "customer" => "Customer",
            "order" => "Order",
            "product" => "Product",
            other => types::specs::Spec::parse(other).map_or(other, |s| s.info().label(types::Locale::En)),
        }
        .to_owned()
    },
    changed: "Changed: ",
    decision: "Decision",
    decision_label: |d| match d {
        Decision::Approve => "Approve",
        Decision::RequestChanges => "Request changes",
        Decision::Reject => "Reject",
    },
    feedback: "Feedback to the creator",
    feedback_hint: "Required to reject or request changes. Say what to fix; the creator sees exactly this.",
    feedback_customer: "Feedback to the customer",
    feedback_customer_hint: "Required to reject or request changes. Say what to fix; the customer sees exactly this on their order.",
    record_decision: "Record decision",
    history_entry: |d, who| match d {
        None => format!("Submitted by {who}"),
        Some(Decision::Approve) => format!("Approved by {who}"),
        Some(Decision::Reject) => format!("Rejected by {who}"),
        Some(Decision::RequestChanges) => format!("Changes requested by {who}"),
    },
    selling_tab: "Selling",
    new_product: "New product",
    recent_feedback: "Recent review feedback",
    product_status: |s| match s {
        ProductStatus::Draft => "Draft",
        ProductStatus::Submitted => "In review",
        ProductStatus::UnderReview => "In review",
        ProductStatus::Published => "Published",
        ProductStatus::Rejected => "Needs changes",
        ProductStatus::Archived => "Archived",
    },
    revision_status: |s| match s {
        RevisionStatus::Draft => "Unsubmitted changes",
        RevisionStatus::Submitted => "Changes in review",
        RevisionStatus::Rejected => "Changes need work",
    },
    low_stock: "Running low:",
    available: |n| format!("{n} left"),
    product: "Product",
    status: "Status",
    price: "Price",
    stock: "In stock",
    updated: "Updated",
    view_in_store: "View in the store",
    product_saved: "Saved.",
    product_submitted: "Submitted for review. You will be told here and by mail.",
    waiting_for_review: "A reviewer has this now; it can be changed again once they decide.",
    reviewer_feedback: "The reviewer asked for changes:",
    published_changes_note: "This product is live. Price and stock change at once; other changes go to review when you submit them, and the store shows the current version until they are approved.",
    category: "Category",
    name_en: "Name (English)",
    name_zh: "Name (Chinese)",
    summary_en: "Summary (English)",
    summary_zh: "Summary (Chinese)",
    description_en: "Description (English)",
    description_zh: "Description (Chinese)",
    price_usd: "Price (USD)",
    specifications: "Specifications",
    ip_rating: "Weather rating (IP code)",
    features: "Features",
    compatibility: "Works with",
    tags: "Tags",
    one_per_line: "One per line.",
    media: "Pictures, videos and documents",
    media_hint: "The first picture is the main one; use ↑ to reorder. Pictures up to 20 MB, videos up to 512 MB, PDFs up to 25 MB.",
    move_up: "Move up",
    save_draft: "Save",
    submit_for_review: "Submit for review",
    archive: "Archive",
};

pub static ZH: PortalTexts = PortalTexts {
    upload_needs_js: "上传文件需要 JavaScript，请为本站开启后再添加文件。",
    remove: "移除",
    selling_title: "在 OpenAero 上销售",
    application_submitted: "谢谢！您的申请已进入审核队列，结果会在这里和邮件中通知您。",
    verified_title: "您已是认证创作者",
    verified_text: "您的企业已通过认证。请在创作者中心发布产品，审核通过后即会出现在商店中。",
    open_portal: "打开创作者中心",
    public_page: "您的公开主页",
    pending_title: "您的申请正在审核",
    pending_text: |when| format!("提交于 {when}。审核通常在两个工作日内完成。"),
    business_name: "企业名称",
    business_kind: "主体类型",
    tax_id: "税号",
    tax_id_hint: "增值税号、EIN 或营业执照号。加密存储，只显示最后四位。",
    tax_id_again: "重新提交需再次填写税号。税号加密存储，只显示为 •••• 加最后四位。",
    address: "企业地址",
    address_line1: "街道和门牌号",
    address_line2: "楼栋、单元（可选）",
    city: "城市",
    region: "省/州（可选）",
    postal_code: "邮政编码",
    country: "国家或地区",
    choose: "请选择…",
    country_name: country_zh,
    contact_email: "联系邮箱",
    contact_phone: "联系电话（可选）",
    documents: "认证材料",
    documents_hint: "营业执照或身份证明，PDF 或照片（最多 5 个文件，每个不超过 25 MB）。仅审核员可见。",
    apply_title: "申请成为创作者",
    apply_intro: "请介绍您的企业。审核员会核对您的材料，通常在两个工作日内完成；认证后即可发布产品。",
    rejected_title: "您上次的申请需要修改：",
    submit_application: "提交审核",
    notifications: "通知",
    notifications_unread: |n| format!("{n} 条未读通知"),
    mark_all_read: "全部标为已读",
    no_notifications: "暂无新通知。订单、提现和审核结果会显示在这里。",
    no_matching_notifications: "没有符合条件的通知。",
    new_notification: "新通知",
    dismiss: "关闭",
    mark_read: "标为已读",
    delete_notification: "删除",
    unread_only: "仅未读",
    all_topics: "全部主题",
    show: "显示",
    older: "更早",
    newest: "最新",
    notification_text: |n| {
        let title = n.params.get("title").map(String::as_str).unwrap_or_default();
        let what = n.params.get("review_kind").and_then(|k| ReviewKind::parse(k)).map_or("提交", |k| match k {
            ReviewKind::CreatorVerification => "创作者申请",
            ReviewKind::ProductSubmission => "产品",
            ReviewKind::PortfolioItem => "作品集条目",
            ReviewKind::CertificationApplication => "认证申请",
            ReviewKind::Rating => "评价",
        });
        match n.kind {
            NotificationKind::SubmissionApproved => format!("您的{what}“{title}”已通过审核。"),
            NotificationKind::SubmissionRejected => format!("您的{what}“{title}”未通过审核。"),
            NotificationKind::ChangesRequested => format!("您的{what}“{title}”需要修改。"),
            NotificationKind::AlertCrossed => format!("提醒“{title}”：当前数值为 {}。", param(n, "value")),
            NotificationKind::AlertRecovered => format!("提醒“{title}”已恢复：当前数值为 {}。", param(n, "value")),
            NotificationKind::WebhookDisabled => {
                format!("您的 Webhook 端点 {title} 已连续 {} 天投递失败，已被停用。", param(n, "days"))
            }
            NotificationKind::OrderPaid => {
                format!("订单 {} 已确认：我们已收到 {}。", param(n, "order"), amount(n, Locale::Zh))
            }
            NotificationKind::OrderShipped => format!(
                "您订单中的 {} 已由 {} 发出，运单号 {}。",
                param(n, "sub_order"),
                param(n, "carrier"),
                param(n, "tracking")
            ),
            NotificationKind::OrderDelivered => format!("您订单中的 {} 已送达。", param(n, "sub_order")),
            NotificationKind::OrderCancelled => {
                format!("您订单中的 {} 已取消，已付款项将退回。", param(n, "sub_order"))
            }
            NotificationKind::OrderRefunded => {
                format!("订单 {} 已退款 {}。", param(n, "order"), amount(n, Locale::Zh))
            }
            NotificationKind::SaleToShip => {
                format!("新订单 {} 待发货：共 {} 件。", param(n, "sub_order"), param(n, "items"))
            }
            NotificationKind::SaleCancelled => format!("订单 {} 在发货前已取消，请不要发货。", param(n, "sub_order")),
            NotificationKind::PayoutApproved => format!("您 {} 的提现已批准。", amount(n, Locale::Zh)),
            NotificationKind::PayoutRejected => {
                format!("您 {} 的提现未获批准：{}", amount(n, Locale::Zh), param(n, "reason"))
            }
            NotificationKind::PayoutPaid => format!("您 {} 的提现已汇入银行账户。", amount(n, Locale::Zh)),
            NotificationKind::NewSignIn => {
                format!("您的账户刚刚在 {} 上登录。如果不是您本人，请立即修改密码。", param(n, "browser"))
            }
            NotificationKind::PasswordChanged => {
                "您的密码已更改，其他会话均已退出。如果不是您本人操作，请立即重置密码。".to_owned()
            }
            NotificationKind::PayoutRequested => {
                format!("{} 申请提现 {}，请批准或拒绝。", param(n, "maker"), amount(n, Locale::Zh))
            }
            NotificationKind::ReviewDigest => format!("审核队列中有 {} 项新内容待处理。", param(n, "count")),
            NotificationKind::StockLow => match param(n, "stock") {
                "0" => format!("“{title}”已售罄，请补货以继续销售。"),
                stock => format!("“{title}”仅剩 {stock} 件，请尽快补货。"),
            },
            NotificationKind::CertificateExpiring => {
                format!("“{title}”的认证将在 {} 天后（{}）到期，请申请续期。", param(n, "days"), param(n, "expires"))
            }
            NotificationKind::MailBounced => {
                format!("发往 {title} 的邮件无法送达，我们已停止发送。请检查您的邮箱地址。")
            }
            NotificationKind::Announcement => format!("OpenAero 公告：{}", param(n, "title_zh")),
        }
    },
    review_queue: "审核队列",
    filter_kind: "类型",
    all_kinds: "全部类型",
    review_kind: kind_zh,
    filter_claim: "认领",
    claim_filter: |c| match c {
        ClaimFilter::All => "全部",
        ClaimFilter::Unclaimed => "未认领",
        ClaimFilter::Mine => "我认领的",
    },
    queue_empty: "队列为空，没有待审核的内容。",
    submitted: "提交时间",
    subject: "提交内容",
    creator: "创作者",
    claimed_by: "审核员",
    claim: "认领",
    release: "释放",
    claimed_by_other: |name| format!("{name} 正在审核此项。"),
    own_case: "由您提交或与您的店铺有关：须由另一位审核员决定。",
    storage_used: |used, quota| format!("文件存储：已用 {used}，共 {quota}。上传后一天内未被使用的文件会被删除。"),
    own_case_short: "您的事项：须由他人决定",
    decision_recorded: "已记录审核结论，并已通知创作者。",
    decision_recorded_customer: "已记录审核结论，并已通知顾客。",
    first_submission: "首次提交，无可比较的内容。",
    compared_with_approved: "与上次通过的版本比较。",
    compared_with_previous: "尚无通过的版本，与上一次提交比较。",
    submitted_by: |who, when| format!("{who} 于 {when} 提交"),
    rating_sold_by: |maker, when| format!("{maker} 售出 · 评价于 {when} 提交"),
    review_status: |s| match s {
        ReviewStatus::Open => "待审核",
        ReviewStatus::Approved => "已通过",
        ReviewStatus::Rejected => "已拒绝",
        ReviewStatus::ChangesRequested => "需修改",
        ReviewStatus::Withdrawn => "已撤回",
    },
    application: "申请内容",
    changes: "变更",
    history: "历史",
    field: "字段",
    before: "之前",
    after: "现在",
    field_label: |f| {
        match f {
            "business_name" => "企业名称",
            "kind" => "主体类型",
            "tax_id" => "税号",
            "address" => "地址",
            "contact_email" => "联系邮箱",
            "contact_phone" => "联系电话",
            "documents" => "材料",
            "category" => "类别",
            "name_en" => "名称（英文）",
            "name_zh" => "名称（中文）",
            "summary_en" => "简介（英文）",
            "summary_zh" => "简介（中文）",
            "description_en" => "详细描述（英文）",
            "description_zh" => "详细描述（中文）",
            "dimensions" => "尺寸",
            "ip_rating" => "防护等级",
            "compatibility" => "兼容",
            "features" => "功能特点",
            "tags" => "标签",
            "media" => "媒体",
            "level" => "等级",
            "title" => "标题",
            "description" => "描述",
            "message" => "留言",
            "stars" => "评分",
            "review" => "评价内容",
            "customer" => "顾客",
            "order" => "订单",
            "product" => "商品",
            other => types::specs::Spec::parse(other).map_or(other, |s| s.info().label(types::Locale::Zh)),
        }
        .to_owned()
    },
    changed: "已修改：",
    decision: "审核结论",
    decision_label: |d| match d {
        Decision::Approve => "通过",
        Decision::RequestChanges => "要求修改",
        Decision::Reject => "拒绝",
    },
    feedback: "给创作者的反馈",
    feedback_hint: "拒绝或要求修改时必填。请说明需要修改什么，创作者会看到这段文字。",
    feedback_customer: "给顾客的反馈",
    feedback_customer_hint: "拒绝或要求修改时必填。请说明需要修改什么，顾客会在订单上看到这段文字。",
    record_decision: "记录结论",
    history_entry: |d, who| match d {
        None => format!("{who} 提交"),
        Some(Decision::Approve) => format!("{who} 审核通过"),
        Some(Decision::Reject) => format!("{who} 拒绝"),
        Some(Decision::RequestChanges) => format!("{who} 要求修改"),
    },
    selling_tab: "销售",
    new_product: "新建产品",
    recent_feedback: "最近的审核反馈",
    product_status: |s| match s {
        ProductStatus::Draft => "草稿",
        ProductStatus::Submitted => "审核中",
        ProductStatus::UnderReview => "审核中",
        ProductStatus::Published => "已上架",
        ProductStatus::Rejected => "需修改",
        ProductStatus::Archived => "已归档",
    },
    revision_status: |s| match s {
        RevisionStatus::Draft => "有未提交的修改",
        RevisionStatus::Submitted => "修改审核中",
        RevisionStatus::Rejected => "修改需调整",
    },
    low_stock: "库存不足：",
    available: |n| format!("剩余 {n} 件"),
    product: "产品",
    status: "状态",
    price: "价格",
    stock: "库存",
    updated: "更新时间",
    view_in_store: "在商店中查看",
    product_saved: "已保存。",
    product_submitted: "已提交审核，结果会在这里和邮件中通知您。",
    waiting_for_review: "审核员正在处理，审核结束后可再次修改。",
    reviewer_feedback: "审核员要求修改：",
    published_changes_note: "此产品已上架。价格和库存立即生效；其他修改需提交审核，审核通过前商店显示当前版本。",
    category: "类别",
    name_en: "名称（英文）",
    name_zh: "名称（中文）",
    summary_en: "简介（英文）",
    summary_zh: "简介（中文）",
    description_en: "详细描述（英文）",
    description_zh: "详细描述（中文）",
    price_usd: "价格（美元）",
    specifications: "规格参数",
    ip_rating: "防护等级（IP）",
    features: "功能特点",
    compatibility: "兼容",
    tags: "标签",
    one_per_line: "每行一项。",
    media: "图片、视频和文档",
    media_hint: "第一张图片为主图，可用 ↑ 调整顺序。图片不超过 20 MB，视频不超过 512 MB，PDF 不超过 25 MB。",
    move_up: "上移",
    save_draft: "保存",
    submit_for_review: "提交审核",
    archive: "归档",
};

/// A notification's parameter, or nothing.
fn param<'a>(n: &'a Notification, key: &str) -> &'a str {
    n.params.get(key).map(String::as_str).unwrap_or_default()
}

/// A notification's `amount` (minor units) in its `currency`, written for `locale`.
fn amount(n: &Notification, locale: Locale) -> String {
    types::catalog::Money::new(param(n, "amount").parse().unwrap_or_default(), param(n, "currency")).format(locale)
}
