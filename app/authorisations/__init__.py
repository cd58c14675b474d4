"""Yetkilendirme: who may act for a taxpayer and with which role (SPEC E8, decision note 0071).

``access`` holds the roles and what each allows; ``queries`` answers "may this person act for that taxpayer,
and how" (asked on every request, so a revoked or expired authorisation stops at the next one) and lists the
taxpayers a person acts for; ``operations`` grants (signed with the taxpayer's card), accepts, revokes and
records a Firma Seç switch, each in one unit of work with its audit entry.
"""
