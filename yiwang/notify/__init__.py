"""消息通知: in-app, email and SMS messages through one interface. Every message is a row first
(so a rollback sends nothing and a failed delivery can be retried); delivery runs after commit
through Django's tasks API and a pluggable backend per channel."""
