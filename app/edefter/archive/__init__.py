"""e-Defter Arşivi (SPEC D8): uploaded and own defter files checked, kept unchanged, listed and downloaded."""
