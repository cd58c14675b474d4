"""The training room (issue 18, SPEC E9): a trainer prepares a class of trainee companies with demo cards and
handouts, moves the training clock that portal and GİB simulator share, watches progress and resets the class.

Modules: ``roster`` (who is in a class), ``records`` (their prepared rows), ``cards`` (SoftHSM trainee cards),
``operations`` (prepare, equip as a job, reset), ``clock`` (Eğitim Saati), ``progress``, ``handout``, ``queries``,
``access`` (demo/training mode, trainers), ``cli`` (``flask egitim``). Decision notes 0130–0134.
"""
