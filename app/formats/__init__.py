"""Pure lxml code for GİB document formats (UBL-TR, XBRL-GL e-Defter). No Flask, no database."""
