/*
 * Design-time lineage from OpenLineage JobEvents: the inputs and outputs a
 * pipeline declares for a job, without a run. Kept apart from the observed
 * edges of dm_lineage_edges, and replaced by the job's newer declaration.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_lineage_job_declarations', table => {
    table.comment('Inputs and outputs of a job, as its newest JobEvent declares');
    table
      .string('job_key', 40)
      .primary()
      .comment('sha1 of the job namespace and name');
    table.text('job_namespace').notNullable();
    table.text('job_name').notNullable();
    table
      .bigInteger('declared_at')
      .notNullable()
      .comment('epoch milliseconds: eventTime of the newest JobEvent');
    table
      .text('inputs')
      .notNullable()
      .comment('JSON list of { namespace, name }');
    table
      .text('outputs')
      .notNullable()
      .comment('JSON list of { namespace, name }');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_lineage_job_declarations');
};
