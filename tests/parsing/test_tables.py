"""Task tables: an .xlsx "Danh mục nhiệm vụ" and a .docx appendix table, with merged cells.
Expected values are written from reading the tables below."""
import io


def _xlsx_bytes():
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(['DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2025'])
    ws.merge_cells('A1:F1')
    ws.append(['STT', 'Nội dung nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian hoàn thành', 'Sản phẩm'])
    ws.append(['I', 'CẢI CÁCH HÀNH CHÍNH'])
    ws.merge_cells('B3:F3')
    ws.append([1, 'Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực đất đai', 'Sở Nông nghiệp và Môi trường',
               'Văn phòng UBND tỉnh', 'Quý II/2025', 'Báo cáo'])
    ws.append([2, 'Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực', None,
               'Sở Khoa học và Công nghệ', 'Tháng 9/2025', 'Cơ sở dữ liệu'])
    ws.merge_cells('C4:C5')        # one lead for two tasks
    ws.append(['II', 'PHÁT TRIỂN KINH TẾ'])
    ws.merge_cells('B6:F6')
    ws.append([3, 'Tổ chức Hội nghị xúc tiến đầu tư năm 2025', 'Sở Tài chính',
               'Các sở, ngành; UBND các huyện, thành phố', 'Tháng 11/2025', 'Hội nghị'])
    ws.append([4, 'Xây dựng Đề án phát triển du lịch cộng đồng', 'Sở Văn hóa, Thể thao và Du lịch',
               'UBND các huyện, thành phố', 'Năm 2025', 'Đề án'])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_task_list_columns_and_merged_cells():
    from dondoc.parsing import parse
    r = parse(_xlsx_bytes(), filename='danh-muc.xlsx')
    blocks = {b['ref']: b for b in r['assignments']}
    assert list(blocks) == ['1', '2', '3', '4']
    assert blocks['1']['lead'] == ['Sở Nông nghiệp và Môi trường']
    assert blocks['2']['lead'] == ['Sở Nông nghiệp và Môi trường']      # carried from the merged cell
    assert blocks['3']['lead'] == ['Sở Tài chính']
    assert blocks['4']['lead'] == ['Sở Văn hóa, Thể thao và Du lịch']
    assert blocks['1']['tasks'][0]['text'] == 'Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực đất đai'
    assert blocks['1']['tasks'][0]['coordinating'] == ['Văn phòng Ủy ban nhân dân tỉnh']
    assert blocks['3']['tasks'][0]['coordinating'] == ['Các sở, ngành', 'Ủy ban nhân dân các huyện, thành phố']
    assert blocks['1']['tasks'][0]['deadline']['text'] == 'Quý II/2025'
    assert blocks['2']['tasks'][0]['deadline']['text'] == 'Tháng 9/2025'
    assert all(b['tasks'][0]['deadline'] for b in blocks.values())
    assert [s['ref'] for s in r['sections']] == ['I', 'II']
    assert blocks['4']['section'] == 'II'


def test_xlsx_without_a_task_header_is_a_valid_document_without_assignments():
    import openpyxl
    from dondoc.parsing import parse
    wb = openpyxl.Workbook()
    wb.active.append(['Họ và tên', 'Năm sinh'])
    wb.active.append(['Nguyễn Văn A', 1980])
    buf = io.BytesIO()
    wb.save(buf)
    r = parse(buf.getvalue(), filename='x.xlsx')
    assert r['assignments'] == [] and r['warnings']


def _docx_with_appendix():
    import docx
    d = docx.Document()
    for line in ['Số: 09/KH-UBND', 'Hà Giang, ngày 10 tháng 01 năm 2025', 'KẾ HOẠCH',
                 'Thực hiện nhiệm vụ trọng tâm năm 2025',
                 'I. MỤC ĐÍCH, YÊU CẦU', '1. Cụ thể hóa các nhiệm vụ trọng tâm của tỉnh.',
                 'II. TỔ CHỨC THỰC HIỆN',
                 '1. Sở Tài chính chủ trì, phối hợp với các sở, ngành theo dõi, tổng hợp, báo cáo Ủy ban nhân dân tỉnh trước ngày 20/12/2025./.',
                 'TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH', 'Nơi nhận:', '- Như trên;', '- Lưu: VT.', 'Trần Văn B',
                 'PHỤ LỤC', 'DANH MỤC NHIỆM VỤ']:
        d.add_paragraph(line)
    t = d.add_table(rows=4, cols=5)
    rows = [['STT', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời hạn'],
            ['1', 'Xây dựng Kế hoạch phát triển nhà ở xã hội năm 2025', 'Sở Xây dựng', 'Sở Tài chính', 'Quý I/2025'],
            ['2', 'Kiểm tra việc chấp hành pháp luật về an toàn thực phẩm', 'Sở Y tế', 'Công an tỉnh', 'Hằng quý'],
            ['3', 'Tổng kết công tác phòng, chống thiên tai', 'Sở Y tế', 'UBND các huyện', 'Tháng 12/2025']]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    t.cell(2, 2).merge(t.cell(3, 2))      # "Sở Y tế" leads rows 2 and 3 (vertical merge)
    t.cell(2, 2).text = 'Sở Y tế'
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_appendix_table_rows_become_blocks():
    from dondoc.parsing import parse
    r = parse(_docx_with_appendix(), filename='kh.docx')
    refs = [b['ref'] for b in r['assignments']]
    assert refs == ['1', 'PL.1', 'PL.2', 'PL.3']
    by_lead = [(b['lead'], b['tasks'][0]['deadline']) for b in r['assignments']]
    assert by_lead[0][0] == ['Sở Tài chính'] and by_lead[0][1]['date'] == '2025-12-20'
    assert by_lead[1][0] == ['Sở Xây dựng']
    assert by_lead[2][0] == ['Sở Y tế'] and by_lead[2][1]['recurrence'] == 'quarterly'
    assert by_lead[3][0] == ['Sở Y tế']
    assert r['document']['signer']['name'] == 'Trần Văn B'
    assert r['document']['number'] == '09/KH-UBND'


def test_markdown_pipe_table_from_a_conversion():
    from dondoc.parsing import parse
    md = '\n'.join([
        '**PHỤ LỤC**', '', '| STT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn hoàn thành |',
        '|---|---|---|---|---|',
        '| 1 | Kiểm tra công tác phòng cháy tại chợ | Công an tỉnh | Sở Công Thương | Quý III/2025 |',
        '| 2 | Cập nhật bản đồ rủi ro thiên tai | Sở Nông nghiệp và Môi trường<br>Bộ Chỉ huy Quân sự tỉnh | | Năm 2025 |'])
    r = parse(md.encode(), filename='pl.md')
    b = r['assignments']
    assert [x['ref'] for x in b] == ['PL.1', 'PL.2']
    assert b[0]['lead'] == ['Công an tỉnh'] and b[0]['tasks'][0]['coordinating'] == ['Sở Công Thương']
    assert b[1]['lead'] == ['Sở Nông nghiệp và Môi trường', 'Bộ Chỉ huy Quân sự tỉnh']
    assert b[1]['tasks'][0]['deadline']['text'] == 'Năm 2025'
