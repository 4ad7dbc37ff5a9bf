"""What `streamlit run` starts: the dashboard (`app.py` and `pages/`) behind the gate of `lne_data.server`.

    streamlit run server.py        # ./scripts/run.sh, deploy/shared.py and the tests' servers do

`streamlit run app.py` would serve the same pages without the gate: Streamlit's upload endpoint open to anonymous
sessions, its metrics public. Such a server draws no uploader (`ui.uploader` says why).
"""

import streamlit as st
from starlette.middleware import Middleware

from lne_data.server import Gate

app = st.App("app.py", middleware=[Middleware(Gate, max_upload_mb=lambda: st.get_option("server.maxUploadSize"))])
