"""One conversation per application: the candidate's status page, messages both ways, attachments, channels.

models (Message, Attachment, AttachmentUpload, Delivery, ChannelLink, ReplyTemplate), services (post, list,
notices), stages (the plain words a candidate reads), attachments (chunked upload, type by content), channels
(微信客服 with its 48 h / 5-message window, external-contact message tasks), drafts (feedback drafts and reply
templates), notify (one WeCom notice to HR per burst), views (candidate page and API, staff routes).
"""
