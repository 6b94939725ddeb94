-- A property's listing terms, all optional: how it is offered (sale or
-- rent; NULL: not listed), its price (rent: per month) in its currency (ISO
-- 4217), and where the listing stands. Checked here as well as in Go. One
-- atomic ALTER.
ALTER TABLE properties
    ADD COLUMN transaction_type VARCHAR(4) NULL,
    ADD COLUMN price DECIMAL(12, 2) NULL,
    ADD COLUMN currency CHAR(3) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'EUR',
    ADD COLUMN status VARCHAR(12) NOT NULL DEFAULT 'available',
    ADD CONSTRAINT properties_transaction_check CHECK (transaction_type IS NULL OR transaction_type IN ('sale', 'rent')),
    ADD CONSTRAINT properties_price_check
        CHECK (price IS NULL OR (price >= 0 AND price <= 1000000000 AND transaction_type IS NOT NULL)),
    ADD CONSTRAINT properties_currency_check CHECK (currency REGEXP '^[A-Z]{3}$'),
    ADD CONSTRAINT properties_status_check CHECK (status IN ('available', 'under_offer', 'sold', 'rented', 'withdrawn')
        AND (status <> 'sold' OR transaction_type = 'sale')
        AND (status <> 'rented' OR transaction_type = 'rent')
        AND (status <> 'under_offer' OR transaction_type IS NOT NULL));
