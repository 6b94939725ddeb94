-- A property's listing terms, all optional: how it is offered (sale or
-- rent; NULL: not listed), its price (rent: per month) in its currency (ISO
-- 4217), and where the listing stands. Checked here as well as in Go.
ALTER TABLE properties ADD COLUMN transaction_type TEXT NULL
    CHECK (transaction_type IS NULL OR transaction_type IN ('sale', 'rent'));

ALTER TABLE properties ADD COLUMN price DECIMAL(12, 2) NULL
    CHECK (price IS NULL OR (price >= 0 AND price <= 1000000000 AND transaction_type IS NOT NULL));

ALTER TABLE properties ADD COLUMN currency TEXT NOT NULL DEFAULT 'EUR'
    CHECK (length(currency) = 3 AND currency = upper(currency));

ALTER TABLE properties ADD COLUMN status TEXT NOT NULL DEFAULT 'available'
    CHECK (status IN ('available', 'under_offer', 'sold', 'rented', 'withdrawn')
        AND (status <> 'sold' OR transaction_type = 'sale')
        AND (status <> 'rented' OR transaction_type = 'rent')
        AND (status <> 'under_offer' OR transaction_type IS NOT NULL));
