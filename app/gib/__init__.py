"""GİB's side of the portal: the HTTP client the portal uses and the simulator that plays GİB.

`app.gib.client` is the portal's only way to GİB; `app.gib.simulator` is a separate small service
that answers the same HTTP API in demo, training and tests. Neither imports the portal's models.
"""
