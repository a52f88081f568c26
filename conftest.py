import os

os.environ.setdefault("INTERNATIONALE_TESTING", "true")
