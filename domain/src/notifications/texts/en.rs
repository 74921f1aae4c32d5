//! The English words of every notice as the code first wrote them: version 1 of each
//! template (admins change them from there).

use types::notifications::NotificationKind::{self, *};

/// A mail: its subject, and a body that greets the reader, says `$news`, then
/// `$lead` and the link, and signs.
macro_rules! mail {
    ($subject:literal, $news:literal) => {
        mail!($subject, $news, "")
    };
    ($subject:literal, $news:literal, $lead:literal) => {
        ($subject, concat!("Hello {{name}},\n\n", $news, "\n\n", $lead, "{{link}}\n\n— OpenAero"))
    };
}

/// The one line the bell and the notification centre show.
pub fn in_app(kind: NotificationKind) -> &'static str {
    match kind {
        SubmissionApproved => "Your {{what}} “{{title}}” was approved.",
        SubmissionRejected => "Your {{what}} “{{title}}” was not approved.",
        ChangesRequested => "Your {{what}} “{{title}}” needs changes.",
        AlertCrossed => "Alert “{{title}}”: the figure is {{value}}.",
        AlertRecovered => "Alert “{{title}}” recovered: the figure is {{value}}.",
        WebhookDisabled => "Your webhook endpoint {{title}} failed for {{days}} days and was switched off.",
        OrderPaid => "Order {{order}} is confirmed: we received {{amount}}.",
        OrderShipped => {
            "Part {{sub_order}} of your order is on its way with {{carrier}}, tracking number {{tracking}}."
        }
        OrderDelivered => "Part {{sub_order}} of your order was delivered.",
        OrderCancelled => "Part {{sub_order}} of your order was cancelled; what you paid for it is refunded.",
        OrderRefunded => "We refunded {{amount}} for order {{order}}.",
        SaleToShip => "New order {{sub_order}} to ship: {{pieces}}.",
        SaleCancelled => "Order {{sub_order}} was cancelled before shipping: do not send it.",
        PayoutApproved => "Your payout of {{amount}} was approved.",
        PayoutRejected => "Your payout of {{amount}} was not approved: {{reason}}",
        PayoutPaid => "Your payout of {{amount}} was sent to your bank.",
        NewSignIn => "New sign-in to your account from {{browser}}. If this was not you, change your password now.",
        PasswordChanged => {
            "Your password was changed and your other sessions signed out. If this was not you, reset it now."
        }
        PayoutRequested => "{{maker}} asked to be paid {{amount}}: approve or reject it.",
        ReviewDigest => "New in the review queue: {{new_items}}.",
        StockLow => "“{{title}}”: {{stock_left}}. Restock it soon.",
        CertificateExpiring => {
            "The certificate of “{{title}}” expires in {{days}} days, on {{expires}}: apply to renew it."
        }
        MailBounced => "Mail to {{title}} cannot be delivered, so we stopped sending it. Check your address.",
        Announcement => "From OpenAero: {{title}}",
        RatingPublished => "A {{stars}}-star review of “{{title}}” was published.",
        RoleGranted => "An admin gave you the {{role}} role. If you did not expect this, tell us at once.",
        RoleRemoved => "An admin removed your {{role}} role. If you did not expect this, tell us at once.",
        WeeklySummary => "Your store's week, {{from}} to {{to}}: {{orders}} paid orders, {{sales}} in sales.",
    }
}

/// A mail's subject and body.
pub fn email(kind: NotificationKind) -> (&'static str, &'static str) {
    match kind {
        SubmissionApproved => mail!(
            "Approved: your {{what}} “{{title}}”",
            "Good news: your {{what}} “{{title}}” was approved.\n\n{{feedback}}"
        ),
        SubmissionRejected => mail!(
            "Not approved: your {{what}} “{{title}}”",
            "A reviewer looked at your {{what}} “{{title}}” and could not approve it:\n\n{{feedback}}",
            "See it here:\n"
        ),
        ChangesRequested => mail!(
            "Changes needed: your {{what}} “{{title}}”",
            "A reviewer looked at your {{what}} “{{title}}” and it needs changes before it can be approved:\n\n{{feedback}}",
            "Fix it and submit it again here:\n"
        ),
        AlertCrossed => mail!(
            "Alert “{{title}}” crossed its threshold",
            "{{figure}} in the last {{minutes}} minutes: {{value}}. The alert is on when it is {{side}} {{threshold}}.",
            "See and change the alerts:\n"
        ),
        AlertRecovered => mail!(
            "Alert “{{title}}” recovered",
            "{{figure}} in the last {{minutes}} minutes: {{value}}. The alert is on when it is {{side}} {{threshold}}.",
            "See and change the alerts:\n"
        ),
        WebhookDisabled => mail!(
            "Webhook switched off: {{title}}",
            "Your webhook endpoint {{title}} failed for {{days}} days, so we switched it off. Nothing more is sent to it until you switch it on again.",
            "Fix and switch it on here:\n"
        ),
        OrderPaid => mail!(
            "Order {{order}} confirmed",
            "Thank you for your order. We received your payment of {{amount}}.",
            "See your order:\n"
        ),
        OrderShipped => mail!(
            "Order {{order}} shipped",
            "Part {{sub_order}} of your order is on its way with {{carrier}}, tracking number {{tracking}}.",
            "See your order:\n"
        ),
        OrderDelivered => mail!(
            "Order {{order}} delivered",
            "Part {{sub_order}} of your order was delivered. Enjoy the flight!",
            "See your order:\n"
        ),
        OrderCancelled => mail!(
            "Order {{order}} cancelled",
            "Part {{sub_order}} of your order was cancelled. Anything you paid for it is refunded.",
            "See your order:\n"
        ),
        OrderRefunded => mail!(
            "Refund for order {{order}}",
            "We refunded {{amount}} to your card. It can take a few days to show.",
            "See your order:\n"
        ),
        SaleToShip => mail!(
            "New order {{sub_order}} to ship",
            "A customer paid for order {{sub_order}}. Please ship, to {{destination}}:\n\n{{item_lines}}\n\nThe address and the button to mark it shipped are on the order's page."
        ),
        SaleCancelled => mail!(
            "Order {{sub_order}} cancelled",
            "Order {{sub_order}} was cancelled before it shipped: please do not send it."
        ),
        PayoutApproved => mail!(
            "Payout approved",
            "Your payout of {{amount}} was approved and will be paid shortly.",
            "See your money:\n"
        ),
        PayoutRejected => mail!(
            "Payout not approved",
            "Your payout of {{amount}} was not approved: {{reason}}\nThe money is back in your available balance.",
            "See your money:\n"
        ),
        PayoutPaid => {
            mail!("Payout sent", "We sent your payout of {{amount}} to your bank account.", "See your money:\n")
        }
        NewSignIn => mail!(
            "New sign-in to your OpenAero account",
            "Someone just signed in to your account from {{browser}}, a browser you had not used with it before. If this was you, there is nothing to do.\n\nIf it was not, change your password now: that signs every other device out.",
            "Your account's security:\n"
        ),
        PasswordChanged => mail!(
            "Your OpenAero password was changed",
            "Your password was just changed and every other session was signed out. If this was not you, reset your password now at {{site}}/forgot-password.",
            "Your account's security:\n"
        ),
        PayoutRequested => mail!(
            "Payout to decide: {{amount}} for {{maker}}",
            "{{maker}} asked to be paid {{amount}}.",
            "Approve or reject it:\n"
        ),
        ReviewDigest => mail!(
            "Review queue: {{new_items}}",
            "New in the review queue in the last hour: {{new_items}}.",
            "Work the queue:\n"
        ),
        StockLow => mail!("{{title}}: {{stock_left}}", "“{{title}}”: {{stock_left}}. Restock it soon to keep selling."),
        CertificateExpiring => mail!(
            "Certificate expires in {{days}} days: {{title}}",
            "The certificate of “{{title}}” expires on {{expires}}. After that the product shows no certification in the store.",
            "Apply to renew it:\n"
        ),
        MailBounced => mail!(
            "Mail to {{title}} bounced",
            "Mail to {{title}} cannot be delivered, so we stopped sending it. Check your address."
        ),
        RatingPublished => mail!(
            "New {{stars}}-star review: {{title}}",
            "A customer's review of “{{title}}” was published, {{stars}} of 5 stars:\n\n{{review}}",
            "See it with your listing:\n"
        ),
        Announcement => ("{{title}}", "Hello {{name}},\n\n{{body}}\n\n{{link}}\n\n— OpenAero"),
        RoleGranted => mail!(
            "You now have the {{role}} role on OpenAero",
            "An admin gave you the {{role}} role. If you did not expect this, reply to this mail or write to us from your account.",
            "Your account:\n"
        ),
        RoleRemoved => mail!(
            "Your {{role}} role on OpenAero was removed",
            "An admin removed your {{role}} role. If you did not expect this, reply to this mail or write to us from your account.",
            "Your account:\n"
        ),
        WeeklySummary => (
            "Your store's week: {{from}} to {{to}}",
            "Hello {{name}},\n\n{{figures}}\n\nThe whole report:\n{{link}}\n\nYou get this mail because you asked for the weekly analytics summary.\n\n— OpenAero",
        ),
    }
}
