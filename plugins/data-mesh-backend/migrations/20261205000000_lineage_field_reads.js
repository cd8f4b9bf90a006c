/*
 * Column lineage from OpenLineage runs: which field of which input dataset
 * a run read to write an output dataset. The impact of a contract change
 * narrows to the consumers reading the fields it touches. Like the edges,
 * a read is added or seen again, never removed; reads not seen for a while
 * are left out when read.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_lineage_field_reads', table => {
    table.comment(
      'A run read a field of the input dataset to write the output dataset',
    );
    table
      .string('read_key', 40)
      .primary()
      .comment('sha1 of the input dataset, the field and the output dataset');
    table
      .string('input_key', 40)
      .notNullable()
      .comment(
        'sha1 of the input namespace and name, as in dm_lineage_datasets',
      );
    table.text('input_namespace').notNullable();
    table.text('input_name').notNullable();
    table.text('input_field').notNullable();
    table.text('output_namespace').notNullable();
    table.text('output_name').notNullable();
    table.bigInteger('first_seen').notNullable().comment('epoch milliseconds');
    table.bigInteger('last_seen').notNullable().comment('epoch milliseconds');
    table.index(['input_key'], 'dm_lineage_field_reads_input_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_lineage_field_reads');
};
