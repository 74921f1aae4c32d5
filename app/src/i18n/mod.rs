//! The UI in English and Chinese. Every string lives in a `Texts` table per
//! language; a missing translation is a compile error, not a blank on a page.

pub mod analytics;
pub mod announcements;
pub mod cart;
pub mod certify;
pub mod deliveries;
mod en;
pub mod finance;
pub mod flags;
pub mod fulfil;
pub mod orders;
pub mod phone;
pub mod portal;
pub mod portfolio;
pub mod privacy;
pub mod push;
pub mod ratings;
pub mod shop;
pub mod templates;
pub mod tokens;
pub mod webhooks;
mod zh;

use leptos::prelude::*;
use types::{
    ErrorCode, Locale, Role,
    profile::{NotificationChannel, NotificationKind},
};

pub struct Texts {
    pub account_preferences: &'static str,
    pub account_profile: &'static str,
    pub account_security: &'static str,
    pub account_title: &'static str,
    pub admin_action: &'static str,
    pub admin_attempts: &'static str,
    pub admin_audit: &'static str,
    pub admin_audit_none: &'static str,
    pub admin_details: &'static str,
    pub admin_event: &'static str,
    pub admin_events: &'static str,
    pub admin_events_lead: &'static str,
    pub admin_events_none: &'static str,
    pub admin_grant: &'static str,
    pub admin_handler: &'static str,
    pub admin_joined: &'static str,
    pub admin_last_error: &'static str,
    pub admin_mailbox: &'static str,
    pub admin_mailbox_lead: &'static str,
    pub admin_mailbox_none: &'static str,
    pub admin_retry: &'static str,
    pub admin_revoke: &'static str,
    pub admin_roles: &'static str,
    pub admin_target: &'static str,
    pub admin_unverified: &'static str,
    pub admin_users: &'static str,
    pub admin_users_none: &'static str,
    pub admin_users_search: &'static str,
    pub admin_when: &'static str,
    pub admin_who: &'static str,
    pub back_home: &'static str,
    pub check_email_text: &'static str,
    pub check_email_title: &'static str,
    pub creator_dashboard: &'static str,
    pub creator_empty: &'static str,
    pub field_bio: &'static str,
    pub field_current_password: &'static str,
    pub field_email: &'static str,
    pub field_language: &'static str,
    pub field_location: &'static str,
    pub field_name: &'static str,
    pub field_new_password: &'static str,
    pub field_password: &'static str,
    pub field_password_confirm: &'static str,
    pub field_social_links: &'static str,
    pub field_website: &'static str,
    pub footer_account: &'static str,
    pub footer_legal: &'static str,
    pub test_mode_banner: &'static str,
    pub test_mode_label: &'static str,
    pub footer_sell: &'static str,
    pub footer_tagline: &'static str,
    pub forbidden_text: &'static str,
    pub forbidden_title: &'static str,
    pub forgot_lead: &'static str,
    pub forgot_sent: &'static str,
    pub forgot_submit: &'static str,
    pub forgot_title: &'static str,
    pub home_cta_join: &'static str,
    pub home_eyebrow: &'static str,
    pub home_feature_certified: &'static str,
    pub home_feature_certified_text: &'static str,
    pub home_feature_makers: &'static str,
    pub home_feature_makers_text: &'static str,
    pub home_feature_safe: &'static str,
    pub home_feature_safe_text: &'static str,
    pub home_lead: &'static str,
    pub home_title: &'static str,
    pub home_why_title: &'static str,
    pub language: &'static str,
    pub login_forgot: &'static str,
    pub login_no_account: &'static str,
    pub login_notice_reset: &'static str,
    pub login_notice_verified: &'static str,
    pub login_submit: &'static str,
    pub login_title: &'static str,
    pub mail_to: &'static str,
    pub nav_admin: &'static str,
    pub nav_creator: &'static str,
    pub nav_login: &'static str,
    pub nav_logout: &'static str,
    pub nav_main: &'static str,
    /// The phone header's button for what does not fit beside search and the cart.
    pub nav_menu: &'static str,
    pub nav_register: &'static str,
    pub nav_shop: &'static str,
    pub not_found_text: &'static str,
    pub not_found_title: &'static str,
    pub notifications_hint: &'static str,
    pub notifications_kind: &'static str,
    pub notifications_title: &'static str,
    pub older: &'static str,
    pub password_hint: &'static str,
    pub preferences_saved: &'static str,
    pub profile_saved: &'static str,
    pub register_have_account: &'static str,
    pub register_lead: &'static str,
    pub register_submit: &'static str,
    pub register_title: &'static str,
    pub reset_new_link: &'static str,
    pub reset_submit: &'static str,
    pub reset_title: &'static str,
    pub save: &'static str,
    pub search: &'static str,
    pub security_change_password: &'static str,
    pub security_saved: &'static str,
    pub skip_to_content: &'static str,
    pub social_links_hint: &'static str,
    pub verify_banner: &'static str,
    pub verify_done: &'static str,
    pub unsubscribe_title: &'static str,
    /// The topic's name and the partly hidden address.
    pub unsubscribe_ask: fn(&str, &str) -> String,
    pub unsubscribe_submit: &'static str,
    pub unsubscribe_done: fn(&str, &str) -> String,
    pub unsubscribe_manage: &'static str,
    pub unsubscribe_invalid: &'static str,
    pub verify_lead: &'static str,
    pub verify_resend: &'static str,
    pub verify_resent: &'static str,
    pub verify_submit: &'static str,
    pub verify_title: &'static str,
    pub error: fn(ErrorCode) -> &'static str,
    pub retry_after: fn(u64) -> String,
    pub role_name: fn(Role) -> &'static str,
    pub channel_name: fn(NotificationChannel) -> &'static str,
    pub kind_name: fn(NotificationKind) -> &'static str,
    pub shop: &'static shop::ShopTexts,
    pub portal: &'static portal::PortalTexts,
    pub cart: &'static cart::CartTexts,
    pub orders: &'static orders::OrdersTexts,
    pub certify: &'static certify::CertifyTexts,
    pub portfolio: &'static portfolio::PortfolioTexts,
    pub fulfil: &'static fulfil::FulfilTexts,
    pub flags: &'static flags::FlagsTexts,
    pub deliveries: &'static deliveries::DeliveriesTexts,
    pub privacy: &'static privacy::PrivacyTexts,
    pub announcements: &'static announcements::AnnouncementsTexts,
    pub templates: &'static templates::TemplatesTexts,
    pub phone: &'static phone::PhoneTexts,
    pub push: &'static push::PushTexts,
    pub analytics: &'static analytics::AnalyticsTexts,
    pub finance: &'static finance::FinanceTexts,
    pub ratings: &'static ratings::RatingsTexts,
    pub tokens: &'static tokens::TokensTexts,
    pub webhooks: &'static webhooks::WebhooksTexts,
}

pub fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::En => &en::TEXTS,
        Locale::Zh => &zh::TEXTS,
    }
}

/// The page's language. It never changes while a page is shown: choosing another
/// is a form the server answers with the page in that language.
#[derive(Clone, Copy)]
pub struct I18n {
    locale: Locale,
}

impl I18n {
    /// The language the server renders in: the request's on the server, the one
    /// written into `<html lang>` in the browser, so both render alike.
    pub fn provide() {
        provide_context(I18n { locale: request_locale() });
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    pub fn t(&self) -> &'static Texts {
        texts(self.locale)
    }
}

/// The page's language. An island in the browser has no `App` above it to provide
/// one, so it takes `<html lang>` itself.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or(I18n { locale: request_locale() })
}

/// The language of the page being rendered.
pub fn request_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        crate::ssr::request_locale().unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Locale::from_tag(&l))
            .unwrap_or_default()
    }
}
