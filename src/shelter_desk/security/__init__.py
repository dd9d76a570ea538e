"""Key slots, passphrase rules, roles and permissions, and the audit hash chain."""
