//! One-click unsubscribe (RFC 8058): each mail about a topic its reader may switch off
//! carries a link that switches that topic's mail off, without logging in. The token
//! names the person and the topic and is signed with the server's key, so it works for
//! its recipient only and for nothing else.

use sqlx::PgConnection;
use types::{
    TextEnum, UserId,
    profile::{NotificationChannel, NotificationKind as Topic, UNSUBSCRIBE_PATH, UnsubscribeChoice},
};

use crate::{Error, Result, Services, signing::Signer};

/// Whose mail about what to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsubscribe {
    pub user: UserId,
    pub topic: Topic,
}

impl Unsubscribe {
    fn message(self) -> String {
        format!("unsubscribe:{}:{}", self.user, self.topic.as_str())
    }

    fn allowed(self) -> bool {
        !self.topic.locked_on(NotificationChannel::Email)
    }

    /// The token for the link; none for a topic that cannot be switched off.
    pub fn token(self, signer: &Signer) -> Option<String> {
        self.allowed().then(|| format!("{}.{}.{}", self.user, self.topic.as_str(), signer.sign(&self.message())))
    }

    /// What a token made by [`token`](Self::token) stands for; none for anything else.
    pub fn parse(token: &str, signer: &Signer) -> Option<Unsubscribe> {
        let mut parts = token.splitn(3, '.');
        let user = parts.next()?.parse().ok()?;
        let topic = Topic::parse(parts.next()?)?;
        let it = Unsubscribe { user, topic };
        (it.allowed() && signer.verify(&it.message(), parts.next()?)).then_some(it)
    }
}

/// The full address of the link for `user`'s mail about `topic`.
pub fn link(services: &Services, user: UserId, topic: Topic) -> Option<String> {
    let token = Unsubscribe { user, topic }.token(&services.signer)?;
    Some(format!("{}{UNSUBSCRIBE_PATH}?token={token}", services.settings.base_url))
}

/// The last lines of a mail its reader may stop: where to stop it, in one click.
pub fn footer(locale: types::Locale, url: &str) -> String {
    match locale {
        types::Locale::En => format!("\n\n--\nTo stop these emails: {url}"),
        types::Locale::Zh => format!("\n\n--\n退订此类邮件：{url}"),
    }
}

fn parse(services: &Services, token: &str) -> Result<Unsubscribe> {
    Unsubscribe::parse(token, &services.signer).ok_or(Error::NotFound)
}

/// What the link would stop, for the page that asks before it does.
pub async fn describe(services: &Services, token: &str) -> Result<UnsubscribeChoice> {
    let it = parse(services, token)?;
    let mut conn = services.pool.acquire().await?;
    let email = sqlx::query_scalar!("select email from users where id = $1", it.user.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    let on = super::profile::get_preferences(&mut conn, it.user).await?.is_on(it.topic, NotificationChannel::Email);
    Ok(UnsubscribeChoice { topic: it.topic, email: masked(&email), on })
}

/// Switches the topic's mail off for the token's recipient; again does nothing more.
#[tracing::instrument(skip_all)]
pub async fn apply(services: &Services, token: &str) -> Result<Topic> {
    let it = parse(services, token)?;
    let mut tx = services.pool.begin().await?;
    switch_off(&mut tx, it).await?;
    tx.commit().await?;
    tracing::info!(user = %it.user, topic = it.topic.as_str(), "unsubscribed from a topic's mail");
    Ok(it.topic)
}

async fn switch_off(conn: &mut PgConnection, it: Unsubscribe) -> Result<()> {
    sqlx::query!(
        "delete from notification_preferences where user_id = $1 and kind = $2 and channel = $3",
        it.user.0,
        it.topic.as_str(),
        NotificationChannel::Email.as_str()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// `mei.lin@example.com` as `m•••@example.com`.
fn masked(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!("{}•••@{domain}", local.chars().next().unwrap_or('•')),
        None => "•••".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_stands_for_its_person_and_topic_only_and_security_has_none() {
        let signer = Signer::new(b"0123456789abcdef0123456789abcdef");
        let it = Unsubscribe { user: UserId::new(), topic: Topic::OrderUpdates };
        let token = it.token(&signer).expect("order mail can be switched off");
        assert_eq!(Unsubscribe::parse(&token, &signer), Some(it));
        let other = UserId::new();
        assert_eq!(Unsubscribe::parse(&token.replacen(&it.user.to_string(), &other.to_string(), 1), &signer), None);
        assert_eq!(Unsubscribe::parse(&token.replacen("order_updates", "payouts", 1), &signer), None);
        assert_eq!(Unsubscribe::parse(&token, &Signer::new(b"another key")), None);
        assert_eq!(Unsubscribe { user: it.user, topic: Topic::AccountSecurity }.token(&signer), None);
    }

    #[test]
    fn an_address_is_shown_partly() {
        assert_eq!(masked("mei.lin@example.com"), "m•••@example.com");
    }
}
