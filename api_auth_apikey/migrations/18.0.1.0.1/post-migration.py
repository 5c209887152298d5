"""Drop the columns in which the key generation wizard kept keys in clear."""


def migrate(cr, version):
    cr.execute("ALTER TABLE api_key_generate DROP COLUMN IF EXISTS key, "
               "DROP COLUMN IF EXISTS manual_key")
