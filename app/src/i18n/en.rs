use types::{
    ErrorCode, Role,
    profile::{NotificationChannel, NotificationKind},
};

use super::Texts;

pub static TEXTS: Texts = Texts {
    skip_to_content: "Skip to content",
    nav_main: "Main",
    nav_menu: "Menu",
    nav_shop: "Shop",
    nav_creator: "Creator portal",
    nav_admin: "Admin console",
    nav_login: "Log in",
    nav_logout: "Log out",
    nav_register: "Create account",
    language: "Language",
    footer_tagline: "The open marketplace for independent drone makers, with every certification published in full.",
    footer_sell: "Sell on OpenAero",
    footer_account: "Your account",
    test_mode_banner: "Test store: no real money changes hands. Pay with a test card shown at checkout.",
    test_mode_label: "Test store",
    footer_legal: "© 2026 OpenAero. Prices include VAT where applicable.",
    back_home: "Back to the home page",
    not_found_title: "Page not found",
    not_found_text: "The page you asked for does not exist or has moved.",
    forbidden_title: "Access denied",
    forbidden_text: "Your account does not have permission to open this page.",
    home_eyebrow: "Independent makers · Verified performance",
    home_title: "Drones built by independent makers, tested before you buy",
    home_lead: "OpenAero is the open marketplace for drones, kits, parts and payloads, where every listing is reviewed and every certification is published with its test results.",
    home_cta_join: "Create your account",
    home_why_title: "Why buy on OpenAero",
    home_feature_certified: "Certified, with the numbers",
    home_feature_certified_text: "Basic, standard and premium certification, with each test, its measured value and its expiry date on the product page.",
    home_feature_makers: "Straight from the makers",
    home_feature_makers_text: "Every seller is a verified creator. Ask questions, follow their work, and buy from the people who built it.",
    home_feature_safe: "Safe checkout, fair payouts",
    home_feature_safe_text: "One cart across makers, payments held until delivery, and a ledger that keeps every cent accounted for.",
    register_title: "Create your account",
    register_lead: "One account to buy, sell and follow makers.",
    register_submit: "Create account",
    register_have_account: "Already have an account?",
    check_email_title: "Check your email",
    check_email_text: "If the address can receive mail, a message with a confirmation link is on its way. Open it to activate your account; the link expires in 48 hours.",
    login_title: "Log in",
    login_submit: "Log in",
    login_forgot: "Forgot your password?",
    login_no_account: "New to OpenAero?",
    login_notice_verified: "Your email is confirmed. Log in to continue.",
    login_notice_reset: "Your password was changed. Log in with the new one.",
    verify_title: "Confirm your email",
    verify_lead: "Press the button to confirm this email address belongs to you.",
    verify_submit: "Confirm my email",
    verify_done: "Thank you: your email is confirmed.",
    unsubscribe_title: "Email choices",
    unsubscribe_ask: |topic, email| {
        format!("Stop emails about “{topic}” to {email}? These notices still appear in the app when you log in.")
    },
    unsubscribe_submit: "Unsubscribe",
    unsubscribe_done: |topic, email| format!("Done: no more emails about “{topic}” to {email}."),
    unsubscribe_manage: "Change all your notification choices",
    unsubscribe_invalid: "This unsubscribe link is not valid. Log in to choose which emails you get.",
    verify_banner: "Please confirm your email address: we sent you a link.",
    verify_resend: "Send the link again",
    verify_resent: "A new link is on its way.",
    forgot_title: "Reset your password",
    forgot_lead: "Enter your account's email and we will send you a link to choose a new password.",
    forgot_submit: "Send reset link",
    forgot_sent: "If an account uses that address, a reset link is on its way. It expires in 1 hour.",
    reset_title: "Choose a new password",
    reset_submit: "Set new password",
    reset_new_link: "Ask for a new link",
    field_name: "Name",
    field_email: "Email",
    field_password: "Password",
    field_password_confirm: "Repeat the password",
    field_current_password: "Current password",
    field_new_password: "New password",
    field_bio: "About you",
    field_location: "Location",
    field_website: "Website",
    field_social_links: "Social links",
    field_language: "Language",
    password_hint: "At least 10 characters. A few unrelated words make a strong, memorable password.",
    social_links_hint: "One address per line, up to six.",
    save: "Save",
    search: "Search",
    older: "Older entries",
    account_title: "Your account",
    account_profile: "Profile",
    account_preferences: "Preferences",
    account_security: "Security",
    profile_saved: "Your profile was saved.",
    preferences_saved: "Your preferences were saved.",
    security_change_password: "Change password",
    security_saved: "Your password was changed. Other devices were signed out.",
    notifications_title: "Notifications",
    notifications_hint: "Choose what we tell you about, and how. Account security notices always come in the app and by email.",
    notifications_kind: "Topic",
    creator_dashboard: "Dashboard",
    creator_empty: "Your products, submissions and revenue will appear here.",
    admin_users: "Users and roles",
    admin_users_search: "Search by email or name",
    admin_users_none: "No users match.",
    admin_roles: "Roles",
    admin_joined: "Joined",
    admin_unverified: "unverified",
    admin_grant: "Grant",
    admin_revoke: "Remove",
    admin_audit: "Audit log",
    admin_audit_none: "Nothing recorded yet.",
    admin_when: "When",
    admin_who: "Who",
    admin_action: "Action",
    admin_target: "Target",
    admin_details: "Details",
    admin_events: "Event deliveries",
    admin_events_lead: "Deliveries that failed every retry. Fix the cause, then retry them.",
    admin_events_none: "No failed deliveries.",
    admin_event: "Event",
    admin_handler: "Handler",
    admin_attempts: "Attempts",
    admin_last_error: "Last error",
    admin_retry: "Retry",
    admin_mailbox: "Dev mailbox",
    admin_mailbox_lead: "Every mail the app sent on this development server, newest first.",
    admin_mailbox_none: "No mail sent yet.",
    mail_to: "To",
    error,
    retry_after: |secs| {
        let minutes = secs.div_ceil(60);
        if minutes <= 1 { "Try again in a minute.".to_owned() } else { format!("Try again in {minutes} minutes.") }
    },
    role_name: |role| match role {
        Role::Customer => "Customer",
        Role::Creator => "Creator",
        Role::Reviewer => "Reviewer",
        Role::Admin => "Admin",
    },
    channel_name: |channel| match channel {
        NotificationChannel::InApp => "In the app",
        NotificationChannel::Email => "Email",
        NotificationChannel::Sms => "SMS",
        NotificationChannel::Push => "Push",
    },
    kind_name: |kind| match kind {
        NotificationKind::OrderUpdates => "Orders and shipping",
        NotificationKind::ReviewDecisions => "Review decisions",
        NotificationKind::Payouts => "Payouts",
        NotificationKind::AccountSecurity => "Account security",
        NotificationKind::Marketing => "News and offers",
        NotificationKind::AnalyticsSummary => "Weekly analytics summary",
        NotificationKind::Alerts => "Analytics alerts",
        NotificationKind::ReviewQueue => "Review queue digest",
        NotificationKind::Listings => "Stock and certificates of your listings",
        NotificationKind::Announcements => "Announcements from OpenAero",
    },
    shop: &super::shop::EN,
    portal: &super::portal::EN,
    cart: &super::cart::EN,
    orders: &super::orders::EN,
    certify: &super::certify::EN,
    portfolio: &super::portfolio::EN,
    fulfil: &super::fulfil::EN,
    flags: &super::flags::EN,
    deliveries: &super::deliveries::EN,
    privacy: &super::privacy::EN,
    announcements: &super::announcements::EN,
    templates: &super::templates::EN,
    phone: &super::phone::EN,
    push: &super::push::EN,
    analytics: &super::analytics::EN,
    finance: &super::finance::EN,
    ratings: &super::ratings::EN,
    tokens: &super::tokens::EN,
    webhooks: &super::webhooks::EN,
};

fn error(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidInput => "Some fields need your attention.",
        ErrorCode::Required => "Please fill this in.",
        ErrorCode::TooLong => "This is too long.",
        ErrorCode::EmailInvalid => "Enter an email address like name@example.com.",
        ErrorCode::PasswordTooShort => "Use at least 10 characters.",
        ErrorCode::PasswordTooLong => "Use at most 128 characters.",
        ErrorCode::PasswordTooWeak => "This password is too easy to guess. Try a few unrelated words.",
        ErrorCode::PasswordContainsEmail => "Don't use your email address in your password.",
        ErrorCode::PasswordMismatch => "The two passwords are not the same.",
        ErrorCode::UrlInvalid => "Enter a full web address starting with https://.",
        ErrorCode::InvalidCredentials => "Wrong email or password.",
        ErrorCode::WrongCurrentPassword => "Your current password is not right.",
        ErrorCode::AccountDisabled => "This account is disabled. Contact support.",
        ErrorCode::TooManyAttempts => "Too many failed attempts.",
        ErrorCode::TokenInvalid => "This link is not valid or was already used. Ask for a new one.",
        ErrorCode::TokenExpired => "This link has expired. Ask for a new one.",
        ErrorCode::NotAuthenticated => "Please log in first.",
        ErrorCode::Forbidden => "You are not allowed to do this.",
        ErrorCode::NotFound => "We could not find that.",
        ErrorCode::BadRequest => "That request was not understood.",
        ErrorCode::CrossSiteRequest => "This form was sent from another site and was refused.",
        ErrorCode::Conflict => "Someone changed this at the same time. Reload and try again.",
        ErrorCode::NotANumber => "Enter a whole number.",
        ErrorCode::RangeInverted => "The maximum is below the minimum, so it was ignored.",
        ErrorCode::PageOutOfRange => "There is no such page; showing the first.",
        ErrorCode::UnknownRole => "There is no such role.",
        ErrorCode::OwnRoles => "Nobody changes their own roles: another admin does.",
        ErrorCode::LastAdmin => "This is the last admin: make someone else an admin first.",
        ErrorCode::FileTypeNotAllowed => {
            "This kind of file is not accepted. Use JPEG, PNG, WebP or GIF pictures, PDF documents, or MP4 or WebM videos."
        }
        ErrorCode::FileTooLarge => {
            "This file is too large: pictures up to 20 MB, documents up to 25 MB, videos up to 512 MB."
        }
        ErrorCode::ImageTooLarge => {
            "This picture is larger than a product photo needs (at most 25 megapixels, 12,000 pixels a side). Export it smaller and retry."
        }
        ErrorCode::StorageQuotaExceeded => {
            "Your files take all of your 2 GB of storage. Uploads that were never attached to anything are removed after a day."
        }
        ErrorCode::VersionMismatch => "This was changed since you loaded it. Load it again and redo your change.",
        ErrorCode::TooManyTokens => "You keep 50 access tokens at most; revoke one you no longer use first.",
        ErrorCode::ScopeNotAllowed => "This permission needs a role your account does not have.",
        ErrorCode::TooManyEndpoints => "You keep 20 webhook endpoints at most; remove one you no longer use first.",
        ErrorCode::FileBroken => "This file is damaged or is not what its type says. Export it again and retry.",
        ErrorCode::FileNameInvalid => {
            "This file name is not allowed. Rename it without slashes, \"..\" or control characters."
        }
        ErrorCode::UploadIncomplete => "Some parts of the upload did not arrive. Resume the upload.",
        ErrorCode::NotAnAmount => "Enter an amount like 1299.00.",
        ErrorCode::OutOfRange => "This value is outside what is allowed here.",
        ErrorCode::ImageRequired => "Add at least one picture before submitting.",
        ErrorCode::TaxIdInvalid => {
            "Enter the tax id as issued: 5 to 30 letters and digits (spaces and dashes are fine)."
        }
        ErrorCode::CountryInvalid => "Choose a country.",
        ErrorCode::PhoneInvalid => "Enter a phone number with its country code, like +49 30 1234567.",
        ErrorCode::AlreadyInReview => {
            "This is waiting for review or was already approved, so it cannot be changed now."
        }
        ErrorCode::FeedbackRequired => "Say what needs to change: the author sees exactly this.",
        ErrorCode::ClaimedByOther => "Another reviewer is working on this item.",
        ErrorCode::AlreadyDecided => "This item was already decided.",
        ErrorCode::DateInvalid => "Enter a date like 2026-11-27.",
        ErrorCode::DateInFuture => "This date has not come yet.",
        ErrorCode::DateInPast => "This date has already passed.",
        ErrorCode::NotPublished => "Only a product that is live in the store can do this.",
        ErrorCode::ResultsRequired => "Record at least one test result before granting a certificate.",
        ErrorCode::SoldOut => "Sold out: fewer are left than you asked for, or none. Your cart shows what is left.",
        ErrorCode::CartEmpty => "Your cart is empty.",
        ErrorCode::MixedCurrencies => {
            "Your cart holds prices in more than one currency; check out one currency at a time."
        }
        ErrorCode::CardInvalid => "Enter the card number as printed on the card.",
        ErrorCode::CardExpired => "This card has expired.",
        ErrorCode::CardDeclined => "Your card was declined. Nothing was charged; try another card.",
        ErrorCode::PaymentUnavailable => {
            "We could not reach the payment provider. Nothing was charged; please try again in a moment."
        }
        ErrorCode::CheckoutExpired => {
            "The payment was not confirmed in time, so the items went back on sale. Nothing was charged."
        }
        ErrorCode::AddressBookFull => "You keep 20 addresses at most; delete one you no longer use first.",
        ErrorCode::CartChanged => {
            "Your cart changed since you reviewed it (a price or what is in stock). Check the order below and place it again."
        }
        ErrorCode::RefundTooLarge => "That is more than is left to refund on this order.",
        ErrorCode::OrderStatusConflict => "The order has moved on since you opened it; reload to see where it stands.",
        ErrorCode::AccountNotClosable => "Your account cannot be closed yet: see what has to happen first.",
        ErrorCode::DeliveryNotResendable => {
            "It is still on its way, or it was shown in the app: there is nothing to send again."
        }
        ErrorCode::SmsUnavailable => "Text messages cannot be sent just now. Try again later.",
        ErrorCode::PushUnavailable => "Push notifications are not offered here.",
        ErrorCode::PushServiceRefused => "This browser's push service is not one we can send to. Try another browser.",
        ErrorCode::PushDeviceGone => {
            "That device no longer takes notifications, so it was removed. Turn them on again there."
        }
        ErrorCode::PushNotTaken => "That device's push service did not take the test just now. Try again in a moment.",
        ErrorCode::CodeExpired => "That code has expired, or none was sent: ask for a new one.",
        ErrorCode::CodeWrong => "That is not the code we texted. Check the digits and try again.",
        ErrorCode::TemplateChanged => "Someone saved this template since you opened it: reload to see their version.",
        ErrorCode::TemplateUnknownVariable => {
            "This names a variable this notice does not offer: use only those listed."
        }
        ErrorCode::TemplateMissingVariable => "This mail is its one-time link: keep {{link}} in the text.",
        ErrorCode::TemplateMalformed => "A {{ has no matching }}, or names nothing: write variables as {{name}}.",
        ErrorCode::BelowMinimumPayout => "That is less than the minimum payout.",
        ErrorCode::ExceedsAvailable => "That is more than your available balance.",
        ErrorCode::PayoutStatusConflict => {
            "The payout has moved on since you opened it; reload to see where it stands."
        }
        ErrorCode::NotDelivered => "You can rate this once it has been delivered.",
        ErrorCode::AlreadyRated => {
            "You already rated this. A review can be changed only when a reviewer asks for changes."
        }
        ErrorCode::OwnProduct => "You cannot rate your own products or shop.",
        ErrorCode::OwnCase => "Submitted by you or your shop: another person decides.",
        ErrorCode::OwnListing => "This is your own product: makers cannot buy from their own shop.",
        ErrorCode::Internal => "Something went wrong on our side. Please try again.",
        ErrorCode::Unreachable => "We could not reach the server. Check your connection and try again.",
    }
}
