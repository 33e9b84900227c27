"""`python -m devstack`: run the app locally on an embedded moto server (interim: HTTP only)."""

from __future__ import annotations

import logging
import os

import boto3
from moto.server import ThreadedMotoServer

from devstack.template import provision
from invoice_app import create_app

log = logging.getLogger("devstack")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    os.environ.update(
        AWS_ENDPOINT_URL=f"http://{host}:{port}",
        AWS_ACCESS_KEY_ID="local",
        AWS_SECRET_ACCESS_KEY="local",
        AWS_DEFAULT_REGION="us-east-1",
        BROADCAST_MODE="inline",
    )
    names = {"INVOICES_TABLE": "Invoices", "METRICS_TABLE": "InvoiceMetrics",
             "CONNECTIONS_TABLE": "WSConnections", "UPLOADS_BUCKET": "invoice-uploads"}  # fmt: skip
    os.environ.update(names)
    provision(boto3.client("dynamodb"), boto3.client("s3"), names)
    app = create_app()
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))


if __name__ == "__main__":
    main()
