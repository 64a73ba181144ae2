/*
 * The store's label verbs (schema 3): a label is stored before it is printed, and every
 * print of it is a row that says which CUPS job it became and how that job ended. A label that
 * printed, or may still print, is not printed again unless someone asks for a reprint: the
 * check and the new row are one transaction, so two requests cannot both pass it.
 */
#define G_LOG_DOMAIN "station-store"

#include <string.h>

#include "station/st-error.h"

#include "st-store-private.h"

#define ST_LABEL_MAX_SIZE (64 * 1024 * 1024)

void
st_label_record_free(StLabelRecord *self)
{
	if (self == NULL)
		return;
	g_free(self->kind);
	g_free(self->source);
	g_free(self->format);
	g_free(self->page);
	if (self->content != NULL)
		g_bytes_unref(self->content);
	g_free(self->sha256);
	g_free(self->order_number);
	g_free(self->reference);
	g_free(self->created_at);
	g_free(self);
}

void
st_print_record_free(StPrintRecord *self)
{
	if (self == NULL)
		return;
	g_free(self->printer);
	g_free(self->queue);
	g_free(self->state);
	g_free(self->message);
	g_free(self->operator_name);
	g_free(self->requested_at);
	g_free(self->updated_at);
	g_free(self->finished_at);
	g_free(self);
}

static const gchar *const st_print_states[] = {
	"submitting", "pending", "held",      "processing", "stopped",
	"cancelled",  "aborted", "completed", "failed",	    "unknown",
};

/* finished: nothing more will happen to the job */
gboolean
st_print_state_is_final(const gchar *state)
{
	return g_strcmp0(state, "cancelled") == 0 || g_strcmp0(state, "aborted") == 0 ||
	       g_strcmp0(state, "completed") == 0 || g_strcmp0(state, "failed") == 0 ||
	       g_strcmp0(state, "unknown") == 0;
}

static gboolean
st_store_label_text(const gchar *what, const gchar *value, guint max, GError **error)
{
	if (value == NULL)
		return TRUE;
	if (strlen(value) > max || !g_utf8_validate(value, -1, NULL)) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "%s is not UTF-8 text of at most %u bytes", what, max);
		return FALSE;
	}
	return TRUE;
}

/**
 * st_store_put_label:
 * @id: (out): the label's id
 * @existed: (out) (optional): TRUE when the same bytes for the same order were stored
 *   already; @id is then that label's
 *
 * Stores a label before it is printed, durably.
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA (empty, too large, unknown format),
 *   ST_ERROR_NOT_FOUND (unknown order)
 */
gboolean
st_store_put_label(StStore *self,
		   const StLabelSpec *spec,
		   gint64 *id,
		   gboolean *existed,
		   GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) find = NULL;
	g_autoptr(StStoreStmt) insert = NULL;
	g_autofree gchar *sha256 = NULL;
	g_autofree gchar *now = st_store_now();
	gint64 order_id = 0;
	gsize len = 0;
	gconstpointer data;
	gint rc;

	g_return_val_if_fail(self->db != NULL, FALSE);
	data = spec->content != NULL ? g_bytes_get_data(spec->content, &len) : NULL;
	if (len == 0 || len > ST_LABEL_MAX_SIZE) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "a label of %" G_GSIZE_FORMAT " bytes cannot be stored (1 byte to "
			    "%d MiB)",
			    len, ST_LABEL_MAX_SIZE / 1024 / 1024);
		return FALSE;
	}
	if (g_strcmp0(spec->format, "zpl") != 0 && g_strcmp0(spec->format, "pdf") != 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "a label is stored as zpl or pdf, not '%s'",
			    spec->format != NULL ? spec->format : "");
		return FALSE;
	}
	if (!st_store_label_text("the label kind", spec->kind, 64, error) ||
	    !st_store_label_text("the label source", spec->source, 4096, error) ||
	    !st_store_label_text("the label reference", spec->reference, 128, error) ||
	    !st_store_label_text("the label page", spec->page, 128, error))
		return FALSE;
	sha256 = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);

	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	if (spec->order_number != NULL) {
		g_autoptr(StStoreStmt) stmt =
			st_store_prepare(self, "SELECT id FROM orders WHERE number = ?", error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_text(stmt, 1, spec->order_number, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(stmt);
		if (rc != SQLITE_ROW) {
			if (rc != SQLITE_DONE) {
				st_store_set_error(self, error, rc, "finding the label's order");
				return FALSE;
			}
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
				    "no order %s for the label; import or release the order first",
				    spec->order_number);
			return FALSE;
		}
		order_id = sqlite3_column_int64(stmt, 0);
	}
	/* a tracking number or SSCC names one parcel: never two orders' */
	if (order_id > 0 && spec->reference != NULL && spec->reference[0] != '\0') {
		g_autoptr(StStoreStmt) stmt = st_store_prepare(
			self,
			"SELECT o.number FROM labels l JOIN orders o ON o.id = l.order_id "
			"WHERE l.reference = ? AND l.order_id != ? LIMIT 1",
			error);
		if (stmt == NULL)
			return FALSE;
		sqlite3_bind_text(stmt, 1, spec->reference, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, order_id);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
				    "%s is already on a label of order %s: one number names one "
				    "parcel; give order %s a number of its own",
				    spec->reference, sqlite3_column_text(stmt, 0),
				    spec->order_number);
			return FALSE;
		}
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, "looking for the label's number");
			return FALSE;
		}
	}
	find = st_store_prepare(self,
				"SELECT id FROM labels WHERE sha256 = ?1 AND format = ?2 AND "
				"order_id IS ?3 ORDER BY id LIMIT 1",
				error);
	if (find == NULL)
		return FALSE;
	sqlite3_bind_text(find, 1, sha256, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(find, 2, spec->format, -1, SQLITE_TRANSIENT);
	if (order_id > 0)
		sqlite3_bind_int64(find, 3, order_id);
	rc = sqlite3_step(find);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(find, 0);
		if (existed != NULL)
			*existed = TRUE;
		return st_store_commit(tx, error);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "looking for the label");
		return FALSE;
	}
	insert =
		st_store_prepare(self,
				 "INSERT INTO labels (kind, source, format, dpi, content, sha256, "
				 "order_id, reference, station, created_at, page) VALUES (?, ?, ?, "
				 "?, ?, ?, ?, ?, ?, ?, ?)",
				 error);
	if (insert == NULL)
		return FALSE;
	sqlite3_bind_text(insert, 1, spec->kind != NULL ? spec->kind : "file", -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_text(insert, 2, spec->source != NULL ? spec->source : "", -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_text(insert, 3, spec->format, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(insert, 4, spec->dpi);
	sqlite3_bind_blob64(insert, 5, data, len, SQLITE_STATIC);
	sqlite3_bind_text(insert, 6, sha256, -1, SQLITE_TRANSIENT);
	if (order_id > 0)
		sqlite3_bind_int64(insert, 7, order_id);
	sqlite3_bind_text(insert, 8, spec->reference != NULL ? spec->reference : "", -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_text(insert, 9, self->station_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(insert, 10, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(insert, 11, spec->page != NULL ? spec->page : "", -1, SQLITE_TRANSIENT);
	if (!st_store_step_done(self, insert, "storing the label", error))
		return FALSE;
	*id = sqlite3_last_insert_rowid(self->db);
	if (existed != NULL)
		*existed = FALSE;
	return st_store_commit(tx, error);
}

/* Returns: (transfer full): the label; ST_ERROR_NOT_FOUND when there is none */
StLabelRecord *
st_store_get_label(StStore *self, gint64 id, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	StLabelRecord *rec;
	gint rc;

	stmt = st_store_prepare(
		self,
		"SELECT l.kind, l.source, l.format, l.dpi, l.content, l.sha256, "
		"o.number, l.reference, l.created_at, l.page FROM labels l LEFT JOIN orders o "
		"ON o.id = l.order_id WHERE l.id = ?",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
				    "no label %" G_GINT64_FORMAT " in %s (`station labels` lists "
				    "them)",
				    id, self->path);
		else
			st_store_set_error(self, error, rc, "reading the label");
		return NULL;
	}
	rec = g_new0(StLabelRecord, 1);
	rec->id = id;
	rec->kind = g_strdup((const gchar *)sqlite3_column_text(stmt, 0));
	rec->source = g_strdup((const gchar *)sqlite3_column_text(stmt, 1));
	rec->format = g_strdup((const gchar *)sqlite3_column_text(stmt, 2));
	rec->dpi = (guint)sqlite3_column_int64(stmt, 3);
	rec->content = g_bytes_new(sqlite3_column_blob(stmt, 4), sqlite3_column_bytes(stmt, 4));
	rec->sha256 = g_strdup((const gchar *)sqlite3_column_text(stmt, 5));
	rec->order_number = g_strdup((const gchar *)sqlite3_column_text(stmt, 6));
	rec->reference = g_strdup((const gchar *)sqlite3_column_text(stmt, 7));
	rec->created_at = g_strdup((const gchar *)sqlite3_column_text(stmt, 8));
	rec->page = g_strdup((const gchar *)sqlite3_column_text(stmt, 9));
	return rec;
}

static StPrintRecord *
st_store_print_from_row(sqlite3_stmt *stmt)
{
	StPrintRecord *rec = g_new0(StPrintRecord, 1);
	rec->id = sqlite3_column_int64(stmt, 0);
	rec->label_id = sqlite3_column_int64(stmt, 1);
	rec->printer = g_strdup((const gchar *)sqlite3_column_text(stmt, 2));
	rec->queue = g_strdup((const gchar *)sqlite3_column_text(stmt, 3));
	rec->cups_job_id = (gint)sqlite3_column_int64(stmt, 4);
	rec->state = g_strdup((const gchar *)sqlite3_column_text(stmt, 5));
	rec->reprint = sqlite3_column_int64(stmt, 6) != 0;
	rec->message = g_strdup((const gchar *)sqlite3_column_text(stmt, 7));
	rec->operator_name = g_strdup((const gchar *)sqlite3_column_text(stmt, 8));
	rec->requested_at = g_strdup((const gchar *)sqlite3_column_text(stmt, 9));
	rec->updated_at = g_strdup((const gchar *)sqlite3_column_text(stmt, 10));
	rec->finished_at = g_strdup((const gchar *)sqlite3_column_text(stmt, 11));
	return rec;
}

#define ST_PRINT_COLUMNS                                                                           \
	"id, label_id, printer, queue, cups_job_id, state, reprint, message, operator, "           \
	"requested_at, updated_at, finished_at"

/**
 * st_store_begin_print:
 * @printer: the role or queue asked for
 * @queue: the CUPS queue it resolves to
 * @reprint: the operator asked for another copy
 * @print_id: (out): the new print job's row
 *
 * Records that the label is about to be sent to CUPS (state "submitting"), unless it printed
 * or may still print and @reprint is FALSE.
 *
 * Returns: FALSE with ST_ERROR_EXISTS naming the earlier job, or ST_ERROR_NOT_FOUND
 */
gboolean
st_store_begin_print(StStore *self,
		     gint64 label_id,
		     const gchar *printer,
		     const gchar *queue,
		     gboolean reprint,
		     const gchar *operator_name,
		     gint64 *print_id,
		     GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) label = NULL;
	g_autoptr(StStoreStmt) earlier = NULL;
	g_autoptr(StStoreStmt) insert = NULL;
	g_autofree gchar *now = st_store_now();
	gint rc;

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	label = st_store_prepare(self, "SELECT 1 FROM labels WHERE id = ?", error);
	if (label == NULL)
		return FALSE;
	sqlite3_bind_int64(label, 1, label_id);
	rc = sqlite3_step(label);
	if (rc != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
				    "no label %" G_GINT64_FORMAT " in %s", label_id, self->path);
		else
			st_store_set_error(self, error, rc, "reading the label");
		return FALSE;
	}
	if (!reprint) {
		earlier = st_store_prepare(self,
					   "SELECT " ST_PRINT_COLUMNS " FROM print_jobs WHERE "
					   "label_id = ? AND state NOT IN ('failed', 'cancelled', "
					   "'aborted') ORDER BY id DESC LIMIT 1",
					   error);
		if (earlier == NULL)
			return FALSE;
		sqlite3_bind_int64(earlier, 1, label_id);
		rc = sqlite3_step(earlier);
		if (rc == SQLITE_ROW) {
			g_autoptr(StPrintRecord) e = st_store_print_from_row(earlier);
			if (g_str_has_prefix(e->queue, "spool:")) {
				/* a spool folder is not a CUPS queue: said as what it is */
				g_set_error(
					error, ST_STORE_ERROR, ST_ERROR_EXISTS,
					"label %" G_GINT64_FORMAT " was already written to the "
					"spool folder %s (%s, %s); it is not written twice unless "
					"you ask: write it again with --reprint (station reprint "
					"%" G_GINT64_FORMAT ")",
					label_id, e->queue + strlen("spool:"), e->state,
					e->finished_at != NULL ? e->finished_at : e->requested_at,
					label_id);
				return FALSE;
			}
			g_autofree gchar *job =
				e->cups_job_id > 0 ? g_strdup_printf("CUPS job %d", e->cups_job_id)
				: g_str_has_prefix(e->queue, "spool:")
					? g_strdup("a file")
					: g_strdup("a job CUPS has not confirmed");
			g_set_error(error, ST_STORE_ERROR, ST_ERROR_EXISTS,
				    "label %" G_GINT64_FORMAT " was already sent to queue %s as %s "
				    "(%s, %s); it is not printed twice unless you ask: print it "
				    "again with --reprint (station reprint %" G_GINT64_FORMAT ")",
				    label_id, e->queue, job, e->state,
				    e->finished_at != NULL ? e->finished_at : e->requested_at,
				    label_id);
			return FALSE;
		}
		if (rc != SQLITE_DONE) {
			st_store_set_error(self, error, rc, "reading the label's print jobs");
			return FALSE;
		}
	}
	insert = st_store_prepare(
		self,
		"INSERT INTO print_jobs (label_id, printer, queue, state, reprint, "
		"operator, station, requested_at, updated_at) VALUES (?, ?, ?, "
		"'submitting', ?, ?, ?, ?, ?)",
		error);
	if (insert == NULL)
		return FALSE;
	sqlite3_bind_int64(insert, 1, label_id);
	sqlite3_bind_text(insert, 2, printer, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(insert, 3, queue, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(insert, 4, reprint ? 1 : 0);
	if (operator_name != NULL)
		sqlite3_bind_text(insert, 5, operator_name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(insert, 6, self->station_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(insert, 7, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(insert, 8, now, -1, SQLITE_TRANSIENT);
	if (!st_store_step_done(self, insert, "recording the print job", error))
		return FALSE;
	*print_id = sqlite3_last_insert_rowid(self->db);
	return st_store_commit(tx, error);
}

/* CUPS took the job: records its id, so the station can find it again after a restart */
gboolean
st_store_print_submitted(StStore *self, gint64 print_id, gint cups_job_id, GError **error)
{
	g_autoptr(StStoreTx) tx = st_store_begin(self, error);
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *now = st_store_now();

	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(self,
				"UPDATE print_jobs SET cups_job_id = ?, state = 'pending', "
				"updated_at = ? WHERE id = ? AND state = 'submitting'",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_int(stmt, 1, cups_job_id);
	sqlite3_bind_text(stmt, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 3, print_id);
	if (!st_store_step_done(self, stmt, "recording the CUPS job", error))
		return FALSE;
	if (sqlite3_changes(self->db) != 1) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
			    "no print job %" G_GINT64_FORMAT " waiting for CUPS", print_id);
		return FALSE;
	}
	return st_store_commit(tx, error);
}

/**
 * st_store_print_update:
 * @state: one of the stored states
 * @message: what the operator was told
 *
 * Records a job's new state. A label of an order that completes queues a "label.printed"
 * event for the central system in the same transaction. A finished job is not changed again.
 */
gboolean
st_store_print_update(StStore *self,
		      gint64 print_id,
		      const gchar *state,
		      const gchar *message,
		      GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(StStoreStmt) read = NULL;
	g_autofree gchar *now = st_store_now();
	gboolean final = st_print_state_is_final(state);
	gboolean known = FALSE;

	for (guint i = 0; i < G_N_ELEMENTS(st_print_states); i++)
		known |= g_strcmp0(st_print_states[i], state) == 0;
	if (!known) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "'%s' is not a print job state", state);
		return FALSE;
	}
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(self,
				"UPDATE print_jobs SET state = ?1, message = ?2, updated_at = ?3, "
				"finished_at = CASE WHEN ?4 THEN ?3 END WHERE id = ?5 AND "
				"finished_at IS NULL",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, state, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, message != NULL ? message : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 4, final ? 1 : 0);
	sqlite3_bind_int64(stmt, 5, print_id);
	if (!st_store_step_done(self, stmt, "recording the print job's state", error))
		return FALSE;
	if (sqlite3_changes(self->db) != 1)
		return st_store_commit(tx, error); /* finished already: kept as it ended */

	if (g_strcmp0(state, "completed") == 0) {
		read = st_store_prepare(
			self,
			"SELECT l.id, l.order_id, o.number, l.kind, l.reference, "
			"p.queue, p.cups_job_id, p.reprint FROM print_jobs p JOIN "
			"labels l ON l.id = p.label_id LEFT JOIN orders o ON o.id = "
			"l.order_id WHERE p.id = ?",
			error);
		if (read == NULL)
			return FALSE;
		sqlite3_bind_int64(read, 1, print_id);
		if (sqlite3_step(read) == SQLITE_ROW && sqlite3_column_int64(read, 1) > 0) {
			g_autoptr(JsonBuilder) fields = json_builder_new();
			json_builder_begin_object(fields);
			json_builder_set_member_name(fields, "order");
			json_builder_add_string_value(fields,
						      (const gchar *)sqlite3_column_text(read, 2));
			json_builder_set_member_name(fields, "label");
			json_builder_add_int_value(fields, sqlite3_column_int64(read, 0));
			json_builder_set_member_name(fields, "kind");
			json_builder_add_string_value(fields,
						      (const gchar *)sqlite3_column_text(read, 3));
			json_builder_set_member_name(fields, "reference");
			json_builder_add_string_value(fields,
						      (const gchar *)sqlite3_column_text(read, 4));
			json_builder_set_member_name(fields, "printer");
			json_builder_add_string_value(fields,
						      (const gchar *)sqlite3_column_text(read, 5));
			json_builder_set_member_name(fields, "cups_job");
			json_builder_add_int_value(fields, sqlite3_column_int64(read, 6));
			json_builder_set_member_name(fields, "reprint");
			json_builder_add_boolean_value(fields, sqlite3_column_int64(read, 7) != 0);
			if (!st_store_insert_event(self, "label.printed",
						   sqlite3_column_int64(read, 1), fields, now,
						   error))
				return FALSE;
		}
	}
	return st_store_commit(tx, error);
}

/**
 * st_store_get_prints:
 * @label_id: one label's jobs, or 0 for every label's
 * @open_only: only the jobs not finished (to follow again after a restart)
 * @limit: at most this many, newest first; 0 for all
 *
 * Returns: (transfer full) (element-type StPrintRecord): the print jobs, newest first
 */
GPtrArray *
st_store_get_prints(StStore *self, gint64 label_id, gboolean open_only, guint limit, GError **error)
{
	g_autoptr(GPtrArray) out =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_print_record_free);
	g_autoptr(StStoreStmt) stmt = NULL;
	gint rc;

	stmt = st_store_prepare(self,
				"SELECT " ST_PRINT_COLUMNS " FROM print_jobs WHERE (?1 = 0 OR "
				"label_id = ?1) AND (?2 = 0 OR finished_at IS NULL) ORDER BY id "
				"DESC LIMIT ?3",
				error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, label_id);
	sqlite3_bind_int(stmt, 2, open_only ? 1 : 0);
	sqlite3_bind_int64(stmt, 3, limit > 0 ? (gint64)limit : -1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(out, st_store_print_from_row(stmt));
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the print jobs");
		return NULL;
	}
	return g_steal_pointer(&out);
}

/**
 * st_store_get_order_prints:
 * @number: an order
 *
 * Returns: (transfer full) (element-type StPrintRecord): the print jobs of the order's labels
 *   (its parcels' labels, slip, declaration), oldest first
 */
GPtrArray *
st_store_get_order_prints(StStore *self, const gchar *number, GError **error)
{
	g_autoptr(GPtrArray) out =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_print_record_free);
	g_autoptr(StStoreStmt) stmt = NULL;
	gint rc;

	stmt = st_store_prepare(
		self,
		"SELECT p.id, p.label_id, p.printer, p.queue, p.cups_job_id, p.state, "
		"p.reprint, p.message, p.operator, p.requested_at, p.updated_at, "
		"p.finished_at FROM print_jobs p JOIN labels l ON l.id = p.label_id "
		"JOIN orders o ON o.id = l.order_id WHERE o.number = ? ORDER BY p.id",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, number, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(out, st_store_print_from_row(stmt));
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the order's print jobs");
		return NULL;
	}
	return g_steal_pointer(&out);
}

/**
 * st_store_get_shipment:
 * @number: the order's number
 *
 * The order as shipment data for label templates (README "Templates"): `order`, `carrier`,
 * `service`, `date` (today), `recipient` (name, company, street, street2, postal_code, city,
 * region, country, phone, email; empty ones left out), `lines[]` (sku, description,
 * quantity), the goods' weight from the products' weights (`weight` "1.23 kg", `weight_g`,
 * `weight_lb` rounded up, as carriers bill) and `package` 1 of 1. The caller adds the sender
 * and whatever the carrier assigned (tracking, routing).
 *
 * Returns: (transfer full): a JSON object, or NULL with ST_ERROR_NOT_FOUND
 */
static void
st_store_set_shipment_weight(JsonObject *o, guint64 grams);

JsonNode *
st_store_get_shipment(StStore *self, const gchar *number, GError **error)
{
	g_autoptr(StStoreStmt) order = NULL;
	g_autoptr(StStoreStmt) lines = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree gchar *today = g_date_time_format(now, "%Y-%m-%d");
	static const gchar *const address[] = {"name",	"company", "street",	  "street2",
					       "city",	"region",  "postal_code", "country",
					       "phone", "email"};
	guint64 grams = 0;
	gint64 order_id;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	order = st_store_prepare(
		self,
		"SELECT id, number, carrier, service_level, ship_name, ship_company, "
		"ship_street1, ship_street2, ship_city, ship_region, "
		"ship_postal_code, ship_country, ship_phone, ship_email, tracking FROM orders "
		"WHERE number = ?",
		error);
	if (order == NULL)
		return NULL;
	sqlite3_bind_text(order, 1, number, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(order);
	if (rc == SQLITE_DONE) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no order %s", number);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "reading an order's shipment data");
		return NULL;
	}
	order_id = sqlite3_column_int64(order, 0);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "order");
	json_builder_add_string_value(b, (const gchar *)sqlite3_column_text(order, 1));
	json_builder_set_member_name(b, "carrier");
	json_builder_add_string_value(b, (const gchar *)sqlite3_column_text(order, 2));
	json_builder_set_member_name(b, "service");
	json_builder_add_string_value(b, (const gchar *)sqlite3_column_text(order, 3));
	json_builder_set_member_name(b, "date");
	json_builder_add_string_value(b, today);
	if (sqlite3_column_text(order, 14) != NULL && sqlite3_column_text(order, 14)[0] != '\0') {
		/* the carrier's number for the order's (first) parcel */
		json_builder_set_member_name(b, "tracking");
		json_builder_add_string_value(b, (const gchar *)sqlite3_column_text(order, 14));
	}
	json_builder_set_member_name(b, "recipient");
	json_builder_begin_object(b);
	for (guint i = 0; i < G_N_ELEMENTS(address); i++) {
		const gchar *v = (const gchar *)sqlite3_column_text(order, 4 + (gint)i);
		if (v == NULL || v[0] == '\0')
			continue;
		json_builder_set_member_name(b, address[i]);
		json_builder_add_string_value(b, v);
	}
	json_builder_end_object(b);

	lines = st_store_prepare(
		self,
		"SELECT p.sku, p.name, l.quantity, p.weight_g FROM order_lines l "
		"JOIN products p ON p.id = l.product_id WHERE l.order_id = ? ORDER "
		"BY l.line_no",
		error);
	if (lines == NULL)
		return NULL;
	sqlite3_bind_int64(lines, 1, order_id);
	json_builder_set_member_name(b, "lines");
	json_builder_begin_array(b);
	while ((rc = sqlite3_step(lines)) == SQLITE_ROW) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "sku");
		json_builder_add_string_value(b, (const gchar *)sqlite3_column_text(lines, 0));
		json_builder_set_member_name(b, "description");
		json_builder_add_string_value(b, (const gchar *)sqlite3_column_text(lines, 1));
		json_builder_set_member_name(b, "quantity");
		json_builder_add_int_value(b, sqlite3_column_int64(lines, 2));
		json_builder_end_object(b);
		grams += (guint64)sqlite3_column_int64(lines, 2) *
			 (guint64)sqlite3_column_int64(lines, 3);
	}
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading an order's lines");
		return NULL;
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "package");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "number");
	json_builder_add_int_value(b, 1);
	json_builder_set_member_name(b, "count");
	json_builder_add_int_value(b, 1);
	json_builder_end_object(b);
	json_builder_end_object(b);
	{
		JsonNode *root = json_builder_get_root(b);
		st_store_set_shipment_weight(json_node_get_object(root), grams);
		return root;
	}
}

/* the weight members of shipment data: "1.23 kg", grams, and pounds rounded up as carriers
 * bill */
static void
st_store_set_shipment_weight(JsonObject *o, guint64 grams)
{
	gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_autofree gchar *kg = g_strdup_printf(
		"%s kg", g_ascii_formatd(buf, sizeof(buf), "%.2f", (gdouble)grams / 1000.0));
	json_object_set_string_member(o, "weight", kg);
	json_object_set_int_member(o, "weight_g", (gint64)grams);
	/* one pound is 453.59237 g exactly */
	json_object_set_int_member(o, "weight_lb",
				   (gint64)MAX(1, (grams * 100000 + 45359236) / 45359237));
}

/**
 * st_store_get_parcel_shipment:
 * @parcel: which of the order's parcels, from 1
 *
 * The shipment data of one parcel of a packed order: st_store_get_shipment(), with the
 * parcel's weight on the scale (or what it should weigh, when not weighed: its items and
 * box), `package` n of the order's parcels, `sscc` its SSCC, and `lines` what is in it.
 *
 * Returns: (transfer full): a JSON object, or NULL with ST_ERROR_NOT_FOUND
 */
JsonNode *
st_store_get_parcel_shipment(StStore *self, const gchar *number, guint parcel, GError **error)
{
	g_autoptr(JsonNode) root = st_store_get_shipment(self, number, error);
	g_autoptr(StOrder) order = NULL;
	g_autoptr(GPtrArray) parcels = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	const StParcel *p;
	JsonObject *o, *package;
	JsonArray *lines = json_array_new();
	gint rc;

	if (root == NULL)
		return NULL;
	order = st_store_find_order(self, number, error);
	if (order == NULL)
		return NULL;
	parcels = st_store_get_order_parcels(self, order->id, error);
	if (parcels == NULL)
		return NULL;
	if (parcel == 0 || parcel > parcels->len) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
			    "order %s has no parcel %u (%u packed)", number, parcel, parcels->len);
		json_array_unref(lines);
		return NULL;
	}
	p = g_ptr_array_index(parcels, parcel - 1);
	o = json_node_get_object(root);
	st_store_set_shipment_weight(o, p->weight_g >= 0 ? (guint64)p->weight_g : p->expected_g);
	package = json_object_new();
	json_object_set_int_member(package, "number", parcel);
	json_object_set_int_member(package, "count", parcels->len);
	json_object_set_object_member(o, "package", package);
	/* the parcel's number: the carrier's tracking number for the one it was given for, an
	 * SSCC for the others */
	if (p->reference != NULL &&
	    g_strcmp0(p->reference,
		      json_object_get_string_member_with_default(o, "tracking", NULL)) == 0) {
		/* a carrier's parcel */
	} else {
		json_object_remove_member(o, "tracking");
		if (p->reference != NULL)
			json_object_set_string_member(o, "sscc", p->reference);
	}
	if (p->box_code != NULL)
		json_object_set_string_member(o, "box", p->box_code);
	stmt = st_store_prepare(
		self,
		"SELECT pr.sku, pr.name, sum(i.quantity) FROM packed_items i JOIN "
		"order_lines l ON l.id = i.line_id JOIN products pr ON pr.id = "
		"l.product_id WHERE i.parcel_id = ? AND i.undone_by IS NULL GROUP BY "
		"l.id ORDER BY l.line_no",
		error);
	if (stmt == NULL) {
		json_array_unref(lines);
		return NULL;
	}
	sqlite3_bind_int64(stmt, 1, p->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		JsonObject *line = json_object_new();
		json_object_set_string_member(line, "sku",
					      (const gchar *)sqlite3_column_text(stmt, 0));
		json_object_set_string_member(line, "description",
					      (const gchar *)sqlite3_column_text(stmt, 1));
		json_object_set_int_member(line, "quantity", sqlite3_column_int64(stmt, 2));
		json_array_add_object_element(lines, line);
	}
	if (rc != SQLITE_DONE) {
		json_array_unref(lines);
		st_store_set_error(self, error, rc, "reading the parcel's items");
		return NULL;
	}
	json_object_set_array_member(o, "lines", lines);
	return g_steal_pointer(&root);
}

/**
 * st_store_get_customs:
 * @number: the order
 *
 * The data of the order's customs declaration (template cn23): st_store_get_shipment() and
 * `items[]` (description, sku, quantity, `weight` of the line in kg with 3 decimals, `value`
 * of the line with 2 decimals, `hs_code`, `origin`), `total_value` and `net_weight`. The
 * caller adds the sender, the currency and the category of goods.
 *
 * Returns: (transfer full): a JSON object; NULL with ST_ERROR_NOT_FOUND for an unknown order,
 *   or ST_ERROR_INVALID_DATA naming the products without an HS code, a country of origin or
 *   a value (a declaration without them is refused at the border)
 */
JsonNode *
st_store_get_customs(StStore *self, const gchar *number, GError **error)
{
	g_autoptr(JsonNode) root = st_store_get_shipment(self, number, error);
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(GString) missing = g_string_new(NULL);
	JsonArray *items;
	guint64 cents = 0, grams = 0;
	gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_autofree gchar *total = NULL, *net = NULL;
	gint rc;

	if (root == NULL)
		return NULL;
	stmt = st_store_prepare(
		self,
		"SELECT p.sku, p.name, l.quantity, p.weight_g, p.customs_value_cents, p.hs_code, "
		"p.origin_country FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN "
		"products p ON p.id = l.product_id WHERE o.number = ? ORDER BY l.line_no",
		error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, number, -1, SQLITE_TRANSIENT);
	items = json_array_new();
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		JsonObject *item = json_object_new();
		const gchar *sku = (const gchar *)sqlite3_column_text(stmt, 0);
		const gchar *hs = (const gchar *)sqlite3_column_text(stmt, 5);
		const gchar *origin = (const gchar *)sqlite3_column_text(stmt, 6);
		guint64 quantity = (guint64)sqlite3_column_int64(stmt, 2);
		guint64 line_g = quantity * (guint64)sqlite3_column_int64(stmt, 3);
		guint64 line_cents = quantity * (guint64)sqlite3_column_int64(stmt, 4);
		g_autofree gchar *weight = g_strdup_printf(
			"%s", g_ascii_formatd(buf, sizeof(buf), "%.3f", (gdouble)line_g / 1000.0));
		g_autofree gchar *value = g_strdup_printf(
			"%" G_GUINT64_FORMAT ".%02u", line_cents / 100, (guint)(line_cents % 100));
		if (hs[0] == '\0' || origin[0] == '\0' || sqlite3_column_int64(stmt, 4) == 0)
			g_string_append_printf(missing, "%s%s", missing->len > 0 ? ", " : "", sku);
		json_object_set_string_member(item, "sku", sku);
		json_object_set_string_member(item, "description",
					      (const gchar *)sqlite3_column_text(stmt, 1));
		json_object_set_int_member(item, "quantity", (gint64)quantity);
		json_object_set_string_member(item, "weight", weight);
		json_object_set_string_member(item, "value", value);
		json_object_set_string_member(item, "hs_code", hs);
		json_object_set_string_member(item, "origin", origin);
		json_array_add_object_element(items, item);
		cents += line_cents;
		grams += line_g;
	}
	if (rc != SQLITE_DONE) {
		json_array_unref(items);
		st_store_set_error(self, error, rc, "reading the order's goods");
		return NULL;
	}
	json_object_set_array_member(json_node_get_object(root), "items", items);
	if (missing->len > 0) {
		g_set_error(
			error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			"order %s needs a customs declaration, and %s lack an HS code, a country "
			"of origin or a value: add them (station import products, columns "
			"hs_code, origin_country, customs_value)",
			number, missing->str);
		return NULL;
	}
	total = g_strdup_printf("%" G_GUINT64_FORMAT ".%02u", cents / 100, (guint)(cents % 100));
	net = g_strdup_printf("%s kg",
			      g_ascii_formatd(buf, sizeof(buf), "%.3f", (gdouble)grams / 1000.0));
	json_object_set_string_member(json_node_get_object(root), "total_value", total);
	json_object_set_string_member(json_node_get_object(root), "net_weight", net);
	return g_steal_pointer(&root);
}
