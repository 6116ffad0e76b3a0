-- Revision ID: ac3724483461
-- Revises: 6104eb2df7b3
-- Create Date: 2023-09-11 14:03:27
-- Message: import the legacy records into records_metadata

-- +upgrade
-- The legacy system kept every kind of record in one table, told apart by
-- record_type. The next revisions move each kind into a table of its own,
-- the way Invenio-based catalogues split records_metadata.
CREATE TABLE records_metadata (
    id INTEGER PRIMARY KEY,
    pid VARCHAR(32) NOT NULL UNIQUE,
    record_type VARCHAR(16) NOT NULL
        CHECK (record_type IN ('document', 'item', 'holding', 'collection', 'patron', 'loan')),
    title VARCHAR(255),
    code VARCHAR(64),
    info VARCHAR(255),
    library_code VARCHAR(16),
    parent_pid VARCHAR(32),
    ref_pid VARCHAR(32),
    created DATE NOT NULL,
    expires DATE
);

-- Documents: code is the language, info the ISBN, parent_pid the collection.
INSERT INTO records_metadata (id, pid, record_type, title, code, info, parent_pid, created) VALUES
    (1, 'doc1', 'document', 'Le Petit Prince', 'fre', '9782070612758', 'coll1', '2019-03-14'),
    (2, 'doc2', 'document', 'Il nome della rosa', 'ita', '9788845292613', 'coll1', '2019-03-14'),
    (3, 'doc3', 'document', 'Der Zauberberg', 'ger', '9783596294336', NULL, '2019-05-02'),
    (4, 'doc4', 'document', 'The Wealth of Nations', 'eng', '9780140432084', 'coll2', '2020-01-20'),
    (5, 'doc5', 'document', 'Journal of Alpine Studies', 'eng', NULL, NULL, '2020-02-11'),
    (6, 'doc6', 'document', 'Revue d''histoire valdôtaine', 'fre', NULL, 'coll3', '2020-02-11'),
    (7, 'doc7', 'document', 'Whisky Galore', 'eng', '9780141035192', NULL, '2020-06-30'),
    (8, 'doc8', 'document', 'Kidnapped', 'eng', '9780141441610', 'coll2', '2021-04-08'),
    (9, 'doc9', 'document', 'Les Misérables', 'fre', '9782253096344', NULL, '2021-09-17'),
    (10, 'doc10', 'document', 'I promessi sposi', 'ita', '9788817070652', 'coll1', '2022-01-12'),
    (11, 'doc11', 'document', 'Highland Forestry Review', 'eng', NULL, NULL, '2022-05-23'),
    (12, 'doc12', 'document', 'Madame Bovary', 'fre', '9782070413119', NULL, '2023-02-01');

-- Items: code is the barcode, info the loan category, parent_pid the document.
INSERT INTO records_metadata (id, pid, record_type, code, info, library_code, parent_pid, created) VALUES
    (101, 'item1', 'item', 'B0001', 'standard', 'AO-CENT', 'doc1', '2019-03-20'),
    (102, 'item2', 'item', 'B0002', 'standard', 'AO-CHAT', 'doc1', '2019-03-20'),
    (103, 'item3', 'item', 'B0003', 'standard', 'AO-CENT', 'doc2', '2019-03-21'),
    (104, 'item4', 'item', 'B0004', 'reference', 'AO-CENT', 'doc3', '2019-05-09'),
    (105, 'item5', 'item', 'B0005', 'standard', 'HL-INV', 'doc4', '2020-01-27'),
    (106, 'item6', 'item', 'B0006', 'short', 'HL-FW', 'doc4', '2020-01-27'),
    (107, 'item7', 'item', 'B0007', 'reference', 'HL-INV', 'doc5', '2020-02-18'),
    (108, 'item8', 'item', 'B0008', 'reference', 'AO-CENT', 'doc6', '2020-02-18'),
    (109, 'item9', 'item', 'B0009', 'standard', 'HL-INV', 'doc7', '2020-07-06'),
    (110, 'item10', 'item', 'B0010', 'standard', 'HL-FW', 'doc7', '2020-07-06'),
    (111, 'item11', 'item', 'B0011', 'standard', 'HL-INV', 'doc8', '2021-04-15'),
    (112, 'item12', 'item', 'B0012', 'short', 'HL-FW', 'doc8', '2021-04-15'),
    (113, 'item13', 'item', 'B0013', 'standard', 'AO-CHAT', 'doc9', '2021-09-24'),
    (114, 'item14', 'item', 'B0014', 'standard', 'AO-CENT', 'doc9', '2021-09-24'),
    (115, 'item15', 'item', 'B0015', 'short', 'AO-CENT', 'doc10', '2022-01-19'),
    (116, 'item16', 'item', 'B0016', 'reference', 'HL-FW', 'doc11', '2022-05-30'),
    (117, 'item17', 'item', 'B0017', 'standard', 'AO-CHAT', 'doc12', '2023-02-08'),
    (118, 'item18', 'item', 'B0018', 'standard', 'AO-CENT', 'doc12', '2023-02-08'),
    (119, 'item19', 'item', 'B0019', 'standard', 'AO-CHAT', 'doc3', '2023-03-01'),
    (120, 'item20', 'item', 'B0020', 'short', 'AO-CHAT', 'doc2', '2023-03-01');

-- Holdings: code is the call number.
INSERT INTO records_metadata (id, pid, record_type, code, library_code, parent_pid, created) VALUES
    (201, 'hold1', 'holding', 'FIC SAI', 'AO-CENT', 'doc1', '2019-03-20'),
    (202, 'hold2', 'holding', 'FIC SAI', 'AO-CHAT', 'doc1', '2019-03-20'),
    (203, 'hold3', 'holding', 'FIC ECO', 'AO-CENT', 'doc2', '2019-03-21'),
    (204, 'hold4', 'holding', '330.153 SMI', 'HL-INV', 'doc4', '2020-01-27'),
    (205, 'hold5', 'holding', 'FIC MAC', 'HL-INV', 'doc7', '2020-07-06'),
    (206, 'hold6', 'holding', 'FIC STE', 'HL-FW', 'doc8', '2021-04-15'),
    (207, 'hold7', 'holding', 'FIC HUG', 'AO-CHAT', 'doc9', '2021-09-24'),
    (208, 'hold8', 'holding', 'FIC FLA', 'AO-CENT', 'doc12', '2023-02-08');

-- Collections: info is the kind of collection.
INSERT INTO records_metadata (id, pid, record_type, title, info, library_code, created) VALUES
    (301, 'coll1', 'collection', 'Littérature européenne (cours de Mme Rosset)', 'course', 'AO-CENT', '2022-09-01'),
    (302, 'coll2', 'collection', 'The Scottish Enlightenment', 'exhibition', 'HL-INV', '2022-11-15'),
    (303, 'coll3', 'collection', 'Histoire valdôtaine', 'exhibition', 'AO-CHAT', '2023-01-10');

-- Patrons: title is the name, code the card barcode, info the contact,
-- ref_pid the patron type, expires the end of the subscription.
INSERT INTO records_metadata (id, pid, record_type, title, code, info, library_code, ref_pid, created, expires) VALUES
    (401, 'pat1', 'patron', 'Giulia Rossi', 'P0001', 'giulia.rossi@example.it', 'AO-CENT', 'adult', '2021-02-03', '2025-02-03'),
    (402, 'pat2', 'patron', 'Marco Bianchi', 'P0002', '+39 0165 123456', 'AO-CHAT', 'adult', '2021-06-12', '2024-06-12'),
    (403, 'pat3', 'patron', 'Émilie Favre', 'P0003', 'emilie.favre@example.org', 'AO-CENT', 'staff', '2020-10-01', NULL),
    (404, 'pat4', 'patron', 'Luca Ferrari', 'P0004', NULL, 'AO-CHAT', 'child', '2022-09-05', '2024-09-05'),
    (405, 'pat5', 'patron', 'Fiona MacLeod', 'P0005', 'fiona.macleod@example.co.uk', 'HL-INV', 'adult', '2019-11-20', '2024-11-20'),
    (406, 'pat6', 'patron', 'Hamish Grant', 'P0006', '+44 1397 700000', 'HL-FW', 'adult', '2023-01-09', '2025-01-09'),
    (407, 'pat7', 'patron', 'Isla Fraser', 'P0007', 'isla.fraser@example.co.uk', 'HL-INV', 'child', '2023-04-18', '2025-04-18'),
    (408, 'pat8', 'patron', 'Ewan Stewart', 'P0008', 'ewan.stewart@example.co.uk', 'HL-FW', 'staff', '2018-05-14', NULL);

-- Loans: parent_pid is the item, ref_pid the patron, code the state,
-- created the start and expires the due date (none for a pending request).
INSERT INTO records_metadata (id, pid, record_type, code, library_code, parent_pid, ref_pid, created, expires) VALUES
    (501, 'loan1', 'loan', 'active', 'AO-CENT', 'item1', 'pat1', '2024-01-10', '2024-02-07'),
    (502, 'loan2', 'loan', 'returned', 'AO-CENT', 'item3', 'pat1', '2023-11-02', '2023-11-30'),
    (503, 'loan3', 'loan', 'active', 'AO-CHAT', 'item13', 'pat2', '2024-02-20', '2024-03-19'),
    (504, 'loan4', 'loan', 'active', 'AO-CHAT', 'item17', 'pat4', '2024-01-05', '2024-02-02'),
    (505, 'loan5', 'loan', 'active', 'HL-INV', 'item5', 'pat5', '2024-02-01', '2024-02-29'),
    (506, 'loan6', 'loan', 'returned', 'HL-INV', 'item9', 'pat5', '2023-12-01', '2023-12-29'),
    (507, 'loan7', 'loan', 'active', 'HL-FW', 'item12', 'pat6', '2024-02-25', '2024-03-03'),
    (508, 'loan8', 'loan', 'active', 'HL-FW', 'item10', 'pat6', '2024-01-15', '2024-02-12'),
    (509, 'loan9', 'loan', 'returned', 'HL-INV', 'item11', 'pat7', '2024-01-03', '2024-01-31'),
    (510, 'loan10', 'loan', 'active', 'AO-CENT', 'item14', 'pat3', '2024-02-15', '2024-03-14'),
    (511, 'loan11', 'loan', 'pending', 'AO-CHAT', 'item2', 'pat2', '2024-02-28', NULL),
    (512, 'loan12', 'loan', 'pending', 'AO-CENT', 'item18', 'pat4', '2024-02-29', NULL),
    (513, 'loan13', 'loan', 'active', 'AO-CENT', 'item15', 'pat1', '2024-02-10', '2024-02-17'),
    (514, 'loan14', 'loan', 'returned', 'HL-FW', 'item6', 'pat8', '2024-02-01', '2024-02-08');

-- +downgrade
DROP TABLE records_metadata;
