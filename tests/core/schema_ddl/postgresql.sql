CREATE TABLE accounts (
	id VARCHAR(40) NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	currency VARCHAR(5) NOT NULL, 
	balance BIGINT NOT NULL, 
	allow_negative BOOLEAN NOT NULL, 
	created_at BIGINT NOT NULL, 
	CONSTRAINT pk_accounts PRIMARY KEY (id), 
	CONSTRAINT ck_accounts_no_negative_balance CHECK (allow_negative OR balance >= 0)
);

CREATE TABLE api_keys (
	id VARCHAR(20) NOT NULL, 
	merchant_id VARCHAR(20) NOT NULL, 
	terminal_id VARCHAR(16), 
	key_hash VARCHAR(64) NOT NULL, 
	created_at BIGINT NOT NULL, 
	revoked_at BIGINT, 
	CONSTRAINT pk_api_keys PRIMARY KEY (id), 
	CONSTRAINT fk_api_keys_merchant_id_merchants FOREIGN KEY(merchant_id) REFERENCES merchants (id), 
	CONSTRAINT fk_api_keys_terminal_id_terminals FOREIGN KEY(terminal_id) REFERENCES terminals (id), 
	CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash)
);

CREATE TABLE entries (
	id SERIAL NOT NULL, 
	transaction_id VARCHAR(24) NOT NULL, 
	account_id VARCHAR(40) NOT NULL, 
	currency VARCHAR(5) NOT NULL, 
	amount BIGINT NOT NULL, 
	CONSTRAINT pk_entries PRIMARY KEY (id), 
	CONSTRAINT fk_entries_transaction_id_transactions FOREIGN KEY(transaction_id) REFERENCES transactions (id), 
	CONSTRAINT fk_entries_account_id_accounts FOREIGN KEY(account_id) REFERENCES accounts (id)
);

CREATE INDEX ix_entries_account ON entries (account_id);

CREATE INDEX ix_entries_transaction ON entries (transaction_id);

CREATE TABLE events (
	seq SERIAL NOT NULL, 
	id VARCHAR(24) NOT NULL, 
	merchant_id VARCHAR(20) NOT NULL, 
	request_id VARCHAR(25), 
	payment_id VARCHAR(24), 
	type VARCHAR(40) NOT NULL, 
	body TEXT NOT NULL, 
	created_at BIGINT NOT NULL, 
	CONSTRAINT pk_events PRIMARY KEY (seq), 
	CONSTRAINT uq_events_id UNIQUE (id)
);

CREATE INDEX ix_events_merchant ON events (merchant_id, created_at);

CREATE INDEX ix_events_request ON events (request_id, created_at);

CREATE TABLE fx_rates (
	base VARCHAR(3) NOT NULL, 
	quote VARCHAR(3) NOT NULL, 
	rate VARCHAR(40) NOT NULL, 
	spread_bp INTEGER NOT NULL, 
	updated_at BIGINT NOT NULL, 
	CONSTRAINT pk_fx_rates PRIMARY KEY (base, quote)
);

CREATE TABLE idempotency_keys (
	scope VARCHAR(60) NOT NULL, 
	key VARCHAR(255) NOT NULL, 
	body_hash VARCHAR(64) NOT NULL, 
	response TEXT NOT NULL, 
	created_at BIGINT NOT NULL, 
	CONSTRAINT pk_idempotency_keys PRIMARY KEY (scope, key)
);

CREATE TABLE journal (
	seq BIGINT NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	body TEXT NOT NULL, 
	prev_hash VARCHAR(64) NOT NULL, 
	hash VARCHAR(64) NOT NULL, 
	created_at BIGINT NOT NULL, 
	CONSTRAINT pk_journal PRIMARY KEY (seq)
);

CREATE TABLE journal_head (
	id SERIAL NOT NULL, 
	seq BIGINT NOT NULL, 
	hash VARCHAR(64) NOT NULL, 
	CONSTRAINT pk_journal_head PRIMARY KEY (id)
);

CREATE TABLE merchants (
	id VARCHAR(20) NOT NULL, 
	name VARCHAR(25) NOT NULL, 
	name_local VARCHAR(50), 
	language VARCHAR(2), 
	mcc VARCHAR(4) NOT NULL, 
	country VARCHAR(2) NOT NULL, 
	city VARCHAR(15) NOT NULL, 
	city_local VARCHAR(30), 
	postal_code VARCHAR(10), 
	currency VARCHAR(3) NOT NULL, 
	miles_earn_per BIGINT, 
	fee_rate_bp INTEGER NOT NULL, 
	account_id VARCHAR(40) NOT NULL, 
	created_at BIGINT NOT NULL, 
	CONSTRAINT pk_merchants PRIMARY KEY (id)
);

CREATE TABLE payment_codes (
	code VARCHAR(24) NOT NULL, 
	wallet_id VARCHAR(20) NOT NULL, 
	created_at BIGINT NOT NULL, 
	expires_at BIGINT NOT NULL, 
	used_by_request VARCHAR(25), 
	CONSTRAINT pk_payment_codes PRIMARY KEY (code), 
	CONSTRAINT fk_payment_codes_wallet_id_wallets FOREIGN KEY(wallet_id) REFERENCES wallets (id)
);

CREATE TABLE payment_requests (
	id VARCHAR(25) NOT NULL, 
	kind VARCHAR(10) NOT NULL, 
	merchant_id VARCHAR(20) NOT NULL, 
	terminal_id VARCHAR(16) NOT NULL, 
	amount BIGINT, 
	currency VARCHAR(3) NOT NULL, 
	reference VARCHAR(25), 
	status VARCHAR(20) NOT NULL, 
	payload TEXT, 
	created_at BIGINT NOT NULL, 
	expires_at BIGINT, 
	updated_at BIGINT NOT NULL, 
	CONSTRAINT pk_payment_requests PRIMARY KEY (id), 
	CONSTRAINT fk_payment_requests_merchant_id_merchants FOREIGN KEY(merchant_id) REFERENCES merchants (id), 
	CONSTRAINT fk_payment_requests_terminal_id_terminals FOREIGN KEY(terminal_id) REFERENCES terminals (id)
);

CREATE INDEX ix_requests_merchant ON payment_requests (merchant_id, created_at);

CREATE INDEX ix_requests_status_expiry ON payment_requests (status, expires_at);

CREATE TABLE payments (
	id VARCHAR(24) NOT NULL, 
	request_id VARCHAR(25) NOT NULL, 
	wallet_id VARCHAR(20) NOT NULL, 
	merchant_id VARCHAR(20) NOT NULL, 
	amount BIGINT NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	cash_amount BIGINT NOT NULL, 
	miles_used BIGINT NOT NULL, 
	charged_amount BIGINT NOT NULL, 
	charged_currency VARCHAR(3) NOT NULL, 
	quote_id VARCHAR(24), 
	miles_earned BIGINT NOT NULL, 
	fee BIGINT NOT NULL, 
	refunded_amount BIGINT NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	created_at BIGINT NOT NULL, 
	CONSTRAINT pk_payments PRIMARY KEY (id), 
	CONSTRAINT uq_payments_request_id UNIQUE (request_id), 
	CONSTRAINT ck_payments_refund_bounds CHECK (refunded_amount >= 0 AND refunded_amount <= amount), 
	CONSTRAINT fk_payments_request_id_payment_requests FOREIGN KEY(request_id) REFERENCES payment_requests (id), 
	CONSTRAINT fk_payments_wallet_id_wallets FOREIGN KEY(wallet_id) REFERENCES wallets (id), 
	CONSTRAINT fk_payments_merchant_id_merchants FOREIGN KEY(merchant_id) REFERENCES merchants (id)
);

CREATE INDEX ix_payments_merchant ON payments (merchant_id, created_at);

CREATE INDEX ix_payments_wallet ON payments (wallet_id, created_at);

CREATE TABLE quotes (
	id VARCHAR(24) NOT NULL, 
	wallet_id VARCHAR(20) NOT NULL, 
	request_id VARCHAR(25), 
	price_amount BIGINT NOT NULL, 
	price_currency VARCHAR(3) NOT NULL, 
	pay_amount BIGINT NOT NULL, 
	pay_currency VARCHAR(3) NOT NULL, 
	rate VARCHAR(40) NOT NULL, 
	spread_bp INTEGER NOT NULL, 
	created_at BIGINT NOT NULL, 
	expires_at BIGINT NOT NULL, 
	CONSTRAINT pk_quotes PRIMARY KEY (id), 
	CONSTRAINT fk_quotes_wallet_id_wallets FOREIGN KEY(wallet_id) REFERENCES wallets (id), 
	CONSTRAINT fk_quotes_request_id_payment_requests FOREIGN KEY(request_id) REFERENCES payment_requests (id)
);

CREATE TABLE refunds (
	id VARCHAR(24) NOT NULL, 
	payment_id VARCHAR(24) NOT NULL, 
	amount BIGINT NOT NULL, 
	cash_back BIGINT NOT NULL, 
	miles_back BIGINT NOT NULL, 
	miles_clawed BIGINT NOT NULL, 
	miles_claw_shortfall BIGINT NOT NULL, 
	fee_back BIGINT NOT NULL, 
	created_at BIGINT NOT NULL, 
	approved_by VARCHAR(20), 
	CONSTRAINT pk_refunds PRIMARY KEY (id), 
	CONSTRAINT fk_refunds_payment_id_payments FOREIGN KEY(payment_id) REFERENCES payments (id), 
	CONSTRAINT fk_refunds_approved_by_staff FOREIGN KEY(approved_by) REFERENCES staff (id)
);

CREATE INDEX ix_refunds_payment ON refunds (payment_id);

CREATE TABLE sale_items (
	sale_id VARCHAR(25) NOT NULL, 
	line INTEGER NOT NULL, 
	item_id VARCHAR(40), 
	names TEXT NOT NULL, 
	quantity INTEGER NOT NULL, 
	unit_amount BIGINT NOT NULL, 
	CONSTRAINT pk_sale_items PRIMARY KEY (sale_id, line), 
	CONSTRAINT ck_sale_items_positive_line CHECK (quantity > 0 AND unit_amount > 0), 
	CONSTRAINT fk_sale_items_sale_id_sales FOREIGN KEY(sale_id) REFERENCES sales (id)
);

CREATE TABLE sales (
	id VARCHAR(25) NOT NULL, 
	merchant_id VARCHAR(20) NOT NULL, 
	terminal_id VARCHAR(20) NOT NULL, 
	staff_id VARCHAR(20), 
	total BIGINT NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	created_at BIGINT NOT NULL, 
	CONSTRAINT pk_sales PRIMARY KEY (id), 
	CONSTRAINT ck_sales_positive_total CHECK (total > 0), 
	CONSTRAINT fk_sales_merchant_id_merchants FOREIGN KEY(merchant_id) REFERENCES merchants (id), 
	CONSTRAINT fk_sales_terminal_id_terminals FOREIGN KEY(terminal_id) REFERENCES terminals (id), 
	CONSTRAINT fk_sales_staff_id_staff FOREIGN KEY(staff_id) REFERENCES staff (id)
);

CREATE TABLE signing_keys (
	key_id VARCHAR(8) NOT NULL, 
	secret VARCHAR(128) NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at BIGINT NOT NULL, 
	CONSTRAINT pk_signing_keys PRIMARY KEY (key_id)
);

CREATE TABLE staff (
	id VARCHAR(20) NOT NULL, 
	merchant_id VARCHAR(20) NOT NULL, 
	name VARCHAR(50) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	created_at BIGINT NOT NULL, 
	pin_hash VARCHAR(200), 
	failed_pins INTEGER DEFAULT '0' NOT NULL, 
	locked_until BIGINT, 
	CONSTRAINT pk_staff PRIMARY KEY (id), 
	CONSTRAINT fk_staff_merchant_id_merchants FOREIGN KEY(merchant_id) REFERENCES merchants (id)
);

CREATE TABLE stores (
	id VARCHAR(20) NOT NULL, 
	merchant_id VARCHAR(20) NOT NULL, 
	name VARCHAR(50) NOT NULL, 
	created_at BIGINT NOT NULL, 
	CONSTRAINT pk_stores PRIMARY KEY (id), 
	CONSTRAINT fk_stores_merchant_id_merchants FOREIGN KEY(merchant_id) REFERENCES merchants (id)
);

CREATE TABLE terminals (
	id VARCHAR(16) NOT NULL, 
	store_id VARCHAR(20) NOT NULL, 
	merchant_id VARCHAR(20) NOT NULL, 
	label VARCHAR(25) NOT NULL, 
	request_ttl_seconds INTEGER NOT NULL, 
	created_at BIGINT NOT NULL, 
	CONSTRAINT pk_terminals PRIMARY KEY (id), 
	CONSTRAINT fk_terminals_store_id_stores FOREIGN KEY(store_id) REFERENCES stores (id), 
	CONSTRAINT fk_terminals_merchant_id_merchants FOREIGN KEY(merchant_id) REFERENCES merchants (id)
);

CREATE TABLE transactions (
	id VARCHAR(24) NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	currency VARCHAR(5) NOT NULL, 
	payment_id VARCHAR(24), 
	refund_id VARCHAR(24), 
	link_id VARCHAR(24), 
	created_at BIGINT NOT NULL, 
	CONSTRAINT pk_transactions PRIMARY KEY (id)
);

CREATE TABLE wallet_pin_locks (
	wallet_id VARCHAR(20) NOT NULL, 
	failed_pins INTEGER DEFAULT '0' NOT NULL, 
	locked_until BIGINT, 
	CONSTRAINT pk_wallet_pin_locks PRIMARY KEY (wallet_id), 
	CONSTRAINT fk_wallet_pin_locks_wallet_id_wallets FOREIGN KEY(wallet_id) REFERENCES wallets (id)
);

CREATE TABLE wallet_sessions (
	token_hash VARCHAR(64) NOT NULL, 
	wallet_id VARCHAR(20) NOT NULL, 
	created_at BIGINT NOT NULL, 
	expires_at BIGINT NOT NULL, 
	CONSTRAINT pk_wallet_sessions PRIMARY KEY (token_hash), 
	CONSTRAINT fk_wallet_sessions_wallet_id_wallets FOREIGN KEY(wallet_id) REFERENCES wallets (id)
);

CREATE TABLE wallets (
	id VARCHAR(20) NOT NULL, 
	owner VARCHAR(80) NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	pin_hash VARCHAR(200) NOT NULL, 
	cash_account_id VARCHAR(40) NOT NULL, 
	miles_account_id VARCHAR(40) NOT NULL, 
	created_at BIGINT NOT NULL, 
	CONSTRAINT pk_wallets PRIMARY KEY (id)
);

CREATE TABLE webhook_attempts (
	id SERIAL NOT NULL, 
	delivery_id VARCHAR(24) NOT NULL, 
	attempted_at BIGINT NOT NULL, 
	status_code INTEGER, 
	error VARCHAR(500), 
	duration_us BIGINT NOT NULL, 
	CONSTRAINT pk_webhook_attempts PRIMARY KEY (id), 
	CONSTRAINT fk_webhook_attempts_delivery_id_webhook_deliveries FOREIGN KEY(delivery_id) REFERENCES webhook_deliveries (id)
);

CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id);

CREATE TABLE webhook_deliveries (
	id VARCHAR(24) NOT NULL, 
	endpoint_id VARCHAR(24) NOT NULL, 
	event_id VARCHAR(24) NOT NULL, 
	status VARCHAR(12) NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_attempt_at BIGINT, 
	last_status_code INTEGER, 
	last_error VARCHAR(500), 
	created_at BIGINT NOT NULL, 
	updated_at BIGINT NOT NULL, 
	CONSTRAINT pk_webhook_deliveries PRIMARY KEY (id), 
	CONSTRAINT fk_webhook_deliveries_endpoint_id_webhook_endpoints FOREIGN KEY(endpoint_id) REFERENCES webhook_endpoints (id)
);

CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);

CREATE TABLE webhook_endpoints (
	id VARCHAR(24) NOT NULL, 
	merchant_id VARCHAR(20) NOT NULL, 
	url VARCHAR(500) NOT NULL, 
	secret VARCHAR(80) NOT NULL, 
	created_at BIGINT NOT NULL, 
	disabled_at BIGINT, 
	CONSTRAINT pk_webhook_endpoints PRIMARY KEY (id), 
	CONSTRAINT fk_webhook_endpoints_merchant_id_merchants FOREIGN KEY(merchant_id) REFERENCES merchants (id)
);

CREATE INDEX ix_webhook_endpoints_merchant ON webhook_endpoints (merchant_id);

CREATE TABLE z_reports (
	id VARCHAR(24) NOT NULL, 
	merchant_id VARCHAR(20) NOT NULL, 
	number INTEGER NOT NULL, 
	scope VARCHAR(10) NOT NULL, 
	scope_id VARCHAR(20) NOT NULL, 
	business_date VARCHAR(10) NOT NULL, 
	from_seq BIGINT NOT NULL, 
	to_seq BIGINT NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	payments_count INTEGER NOT NULL, 
	gross BIGINT NOT NULL, 
	refunds BIGINT NOT NULL, 
	fees BIGINT NOT NULL, 
	net BIGINT NOT NULL, 
	snapshot TEXT NOT NULL, 
	closed_by VARCHAR(20) NOT NULL, 
	created_at BIGINT NOT NULL, 
	CONSTRAINT pk_z_reports PRIMARY KEY (id), 
	CONSTRAINT uq_z_reports_number UNIQUE (merchant_id, number), 
	CONSTRAINT uq_z_reports_chain UNIQUE (scope, scope_id, from_seq), 
	CONSTRAINT ck_z_reports_forward CHECK (to_seq >= from_seq), 
	CONSTRAINT fk_z_reports_merchant_id_merchants FOREIGN KEY(merchant_id) REFERENCES merchants (id), 
	CONSTRAINT fk_z_reports_closed_by_staff FOREIGN KEY(closed_by) REFERENCES staff (id)
);

-- accounts.balance defaults to 0 on insert
-- accounts.allow_negative defaults to False on insert
-- merchants.fee_rate_bp defaults to 0 on insert
-- payments.refunded_amount defaults to 0 on insert
-- terminals.request_ttl_seconds defaults to 300 on insert
-- webhook_deliveries.attempts defaults to 0 on insert
