# The hub image for Zero to JupyterHub 4.x with the class accounts and the instructor's class view
# (deploy/kubernetes/config.yaml, hub.extraConfig). UNTESTED on a cluster: written here, not built.
#   docker build -f deploy/kubernetes/hub.Dockerfile -t <registry>/unrolled-hub:<commit> .
FROM quay.io/jupyterhub/k8s-hub:4.2.0
USER root
COPY --chown=jovyan:jovyan course_utils /srv/unrolled/course_utils
COPY --chown=jovyan:jovyan deploy/jupyterhub /srv/unrolled/deploy/jupyterhub
COPY --chown=jovyan:jovyan pyproject.toml README.md /srv/unrolled/
# course_utils only for its standard-library progress and course-map modules (--no-deps: no torch)
RUN pip install --no-cache-dir --no-deps -e /srv/unrolled \
 && pip install --no-cache-dir jupyterhub-firstuseauthenticator==1.1.1 bcrypt==5.0.0
USER jovyan
