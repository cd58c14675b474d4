"""XBRL-GL e-Defter documents: streaming writer (yevmiye, kebir) and the bounded yevmiye reader."""
