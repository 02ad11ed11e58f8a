-- One database per service: each service owns its data and reaches the others only by events.
-- The postgres image runs this once, when it initialises an empty data directory
-- (files in /docker-entrypoint-initdb.d), as POSTGRES_USER, who then owns every database.
-- Schemas come afterwards from `schools-platform migrate`, not from here.

CREATE DATABASE catalogue;
CREATE DATABASE orders;
CREATE DATABASE commissioning;
CREATE DATABASE evaluation;
CREATE DATABASE ledger;
CREATE DATABASE notifications;
