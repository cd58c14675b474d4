"""GİB Bağlantı Kontrolü: the clock, the taxpayer's registry entry and its labels at GİB, asked by a job.

The Yönetim page never calls GİB itself: it shows the last check's answer and starts a new check as a
background job (``operations.start_check``), whose status widget shows the progress and then the answer.
"""
